import type { BuiltInPoint, GridPoint } from '../../store/grid-points.ts';
import { METHOD, methodOf } from '../../trainer/index.ts';

// "Labels needed" is read off the grid: the smallest label count whose mean test error is at or below
// the target. A curve has no point at an SNR where no label count on the grid reaches it.
export const TARGET_ERROR = 0.05;

export interface LabelComplexityPoint {
  series: string;
  snr: number;
  labels_needed: number;
}

const testError = (pt: BuiltInPoint): number | null => pt.metrics.test_error.mean;

// The comparisons are between the built-in methods: a program's points (method: command) take no part.
const builtIn = (points: GridPoint[]): BuiltInPoint[] =>
  points.filter((pt): pt is BuiltInPoint => pt.params !== null);

function seriesName(pt: BuiltInPoint): string {
  return pt.params.method === METHOD.simclr ? `SimCLR, n0 = ${pt.params.n_unlabeled}` : pt.params.method;
}

// Supervised first, then SimCLR by its unlabeled sample size as a number (not as text: 25 before 100).
const seriesRank = (pt: BuiltInPoint): [number, number] =>
  pt.params.method === METHOD.simclr ? [1, pt.params.n_unlabeled] : [0, 0];

export function labelComplexity(points: GridPoint[], target = TARGET_ERROR): LabelComplexityPoint[] {
  const best = new Map<string, LabelComplexityPoint>();
  const rank = new Map<string, [number, number]>();
  for (const pt of builtIn(points)) {
    const error = testError(pt);
    if (!methodOf(pt.params.method).trains || error === null || error > target) continue;
    const series = seriesName(pt);
    rank.set(series, seriesRank(pt));
    const { snr, n_labels } = pt.params;
    const key = `${series}|${snr}`;
    const seen = best.get(key);
    if (!seen || n_labels < seen.labels_needed) best.set(key, { series, snr, labels_needed: n_labels });
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

// Supervised and SimCLR cells compare when they agree on every parameter both methods read.
const sharedKey = (pt: BuiltInPoint): string => {
  const { n_labels, snr, d, m, q, p, sigma0, sigma_p, lr, steps, n_test } = pt.params;
  return JSON.stringify([n_labels, snr, d, m, q, p, sigma0, sigma_p, lr, steps, n_test]);
};

/** SimCLR's reduction of mean test error against supervised training with the same labels and SNR. */
export function simclrGain(points: GridPoint[]): GainPoint[] {
  const supervised = new Map<string, number>();
  for (const pt of builtIn(points)) {
    const error = testError(pt);
    if (pt.params.method === METHOD.supervised && error !== null) supervised.set(sharedKey(pt), error);
  }
  const gains: GainPoint[] = [];
  for (const pt of builtIn(points)) {
    const error = testError(pt);
    if (pt.params.method !== METHOD.simclr || error === null) continue;
    const base = supervised.get(sharedKey(pt));
    if (base === undefined) continue;
    gains.push({
      n_labels: pt.params.n_labels,
      n_unlabeled: pt.params.n_unlabeled,
      snr: pt.params.snr,
      supervised_error: base,
      simclr_error: error,
      gain: base - error,
    });
  }
  return gains;
}
