import type { GridPoint } from '../views/panels.ts';

// "Labels needed" is read off the grid: the smallest label count whose mean test error is at or below
// the target. A curve has no point at an SNR where no label count on the grid reaches it.
export const TARGET_ERROR = 0.05;

export interface LabelComplexityPoint {
  series: string;
  snr: number;
  labels_needed: number;
}

function seriesName(pt: GridPoint): string {
  return pt.method === 'simclr' ? `SimCLR, n0 = ${pt.n_unlabeled}` : pt.method;
}

// Supervised first, then SimCLR by its unlabeled sample size as a number (not as text: 25 before 100).
const seriesRank = (pt: GridPoint): [number, number] =>
  pt.method === 'simclr' ? [1, pt.n_unlabeled ?? 0] : [0, 0];

export function labelComplexity(points: GridPoint[], target = TARGET_ERROR): LabelComplexityPoint[] {
  const best = new Map<string, LabelComplexityPoint>();
  const rank = new Map<string, [number, number]>();
  for (const pt of points) {
    if (pt.method === 'noop' || pt.mean_test_error === null || pt.mean_test_error > target) continue;
    const series = seriesName(pt);
    rank.set(series, seriesRank(pt));
    const key = `${series}|${pt.snr}`;
    const seen = best.get(key);
    if (!seen || pt.n_labels < seen.labels_needed)
      best.set(key, { series, snr: pt.snr, labels_needed: pt.n_labels });
  }
  const byRank = (a: string, b: string): number => {
    const [ra, rb] = [rank.get(a)!, rank.get(b)!];
    return ra[0] - rb[0] || ra[1] - rb[1];
  };
  return [...best.values()].sort((a, b) => byRank(a.series, b.series) || a.snr - b.snr);
}

export interface GainPoint {
  n_labels: number;
  n_unlabeled: number;
  snr: number;
  supervised_error: number;
  simclr_error: number;
  gain: number;
}

/** SimCLR's reduction of mean test error against supervised training with the same labels and SNR. */
export function simclrGain(points: GridPoint[]): GainPoint[] {
  const supervised = new Map<string, number>();
  for (const pt of points) {
    if (pt.method === 'supervised' && pt.mean_test_error !== null) {
      supervised.set(`${pt.n_labels}|${pt.snr}|${pt.d}|${pt.q}|${pt.p}`, pt.mean_test_error);
    }
  }
  const gains: GainPoint[] = [];
  for (const pt of points) {
    if (pt.method !== 'simclr' || pt.mean_test_error === null || pt.n_unlabeled === null) continue;
    const base = supervised.get(`${pt.n_labels}|${pt.snr}|${pt.d}|${pt.q}|${pt.p}`);
    if (base === undefined) continue;
    gains.push({
      n_labels: pt.n_labels,
      n_unlabeled: pt.n_unlabeled,
      snr: pt.snr,
      supervised_error: base,
      simclr_error: pt.mean_test_error,
      gain: base - pt.mean_test_error,
    });
  }
  return gains;
}
