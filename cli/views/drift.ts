import { fmtAxis, fmtError } from './format.ts';
import type { GridPoint } from './panels.ts';

// A grid point has drifted when each run's mean test error lies outside the other run's 95% CI and the
// change exceeds `minDelta`. A run with fewer than two seeds has no CI: mean ± minDelta stands in, so
// single-seed sweeps are compared at that tolerance instead of flagging every rounding difference.
export const DEFAULT_MIN_DELTA = 0.05;

// Everything that places a grid point, besides the seed averaged over.
const COORDINATES = [
  'method',
  'n_labels',
  'n_unlabeled',
  'snr',
  'd',
  'm',
  'q',
  'p',
  'sigma0',
  'sigma_p',
  'lr',
  'steps',
  'n_test',
  'pretrain_steps',
  'pretrain_lr',
  'tau',
] as const;

export interface DriftPoint {
  method: string;
  n_labels: number;
  n_unlabeled: number | null;
  snr: number;
  before: number;
  after: number;
  delta: number;
  before_ci: [number, number] | null;
  after_ci: [number, number] | null;
}

export interface DriftReport {
  compared: number;
  only_in_a: number;
  only_in_b: number;
  moved: DriftPoint[];
}

function keyOf(pt: GridPoint): string {
  const rec = pt as unknown as Record<string, unknown>;
  return COORDINATES.map((k) => String(rec[k] ?? '')).join('|');
}

function ciOf(pt: GridPoint): [number, number] | null {
  return pt.ci95_low === null || pt.ci95_high === null ? null : [pt.ci95_low, pt.ci95_high];
}

function outside(value: number, ci: [number, number] | null, mean: number, minDelta: number): boolean {
  const [lo, hi] = ci ?? [mean - minDelta, mean + minDelta];
  return value < lo || value > hi;
}

export function gridDrift(a: GridPoint[], b: GridPoint[], minDelta = DEFAULT_MIN_DELTA): DriftReport {
  const before = new Map(a.filter((pt) => pt.mean_test_error !== null).map((pt) => [keyOf(pt), pt]));
  const after = b.filter((pt) => pt.mean_test_error !== null);
  const moved: DriftPoint[] = [];
  let compared = 0;
  for (const pt of after) {
    const old = before.get(keyOf(pt));
    if (!old) continue;
    compared++;
    const x = old.mean_test_error!;
    const y = pt.mean_test_error!;
    const significant =
      Math.abs(y - x) > minDelta && outside(y, ciOf(old), x, minDelta) && outside(x, ciOf(pt), y, minDelta);
    if (significant) {
      moved.push({
        method: pt.method,
        n_labels: pt.n_labels,
        n_unlabeled: pt.n_unlabeled,
        snr: pt.snr,
        before: x,
        after: y,
        delta: y - x,
        before_ci: ciOf(old),
        after_ci: ciOf(pt),
      });
    }
  }
  return { compared, only_in_a: before.size - compared, only_in_b: after.length - compared, moved };
}

const ci = (c: [number, number] | null): string => (c ? `[${fmtError(c[0])},${fmtError(c[1])}]` : '[no CI]');

export function renderDrift(report: DriftReport, labelA: string, labelB: string): string {
  const lines = [
    `${report.compared} grid points compared (${labelA} → ${labelB}); ${report.moved.length} moved beyond the 95% CIs` +
      (report.only_in_a + report.only_in_b > 0
        ? `; ${report.only_in_a} only in ${labelA}, ${report.only_in_b} only in ${labelB}`
        : ''),
  ];
  if (report.moved.length === 0) return lines.join('\n');
  lines.push(
    `${'method'.padEnd(11)} ${'n'.padStart(5)} ${'n0'.padStart(5)} ${'SNR'.padStart(5)}  before            after             Δ`,
  );
  for (const m of report.moved) {
    lines.push(
      `${m.method.padEnd(11)} ${String(m.n_labels).padStart(5)} ${(m.n_unlabeled === null ? '-' : String(m.n_unlabeled)).padStart(5)} ` +
        `${fmtAxis(m.snr).padStart(5)}  ${fmtError(m.before).padStart(4)} ${ci(m.before_ci).padEnd(12)} ` +
        `${fmtError(m.after).padStart(4)} ${ci(m.after_ci).padEnd(12)} ${m.delta >= 0 ? '+' : ''}${m.delta.toFixed(2)}`,
    );
  }
  return lines.join('\n');
}
