import { mean, summarizeMetric, type MetricSummary } from '../sweep/stats.ts';
import { cellKey } from '../sweep/cells.ts';
import { METHOD, parseCellParams } from '../trainer/index.ts';
import { PLANS, type AxisValue, type GridName, type Mode, type Regime, type StudyGrid } from './design.ts';
import { studySpec } from './specs.ts';
import { selectLr } from './select-lr.ts';
import type { StoredRow } from './run-sweeps.ts';

// What the section's tables report, in their column order.
export const STUDY_METRICS = [
  'probe_alignment',
  'pretrain_alignment',
  'linear_probe_error',
  'test_error',
  'head_change',
] as const;
export type StudyMetric = (typeof STUDY_METRICS)[number];

export type Variant = Record<string, AxisValue>;

/** One variant of a grid at one SNR in one regime, at its chosen rate, over the reported seeds. */
export interface VariantResult {
  grid: GridName;
  regime: Regime;
  snr: number;
  variant: Variant;
  lr: number | null;
  /** reported seeds with a stored result at that rate */
  done: number;
  /** of those, the cells that diverged: counted here, in no metric */
  diverged: number;
  metrics: Record<StudyMetric, MetricSummary>;
}

export function variantsOf(axes: Record<string, AxisValue[]>): Variant[] {
  return Object.entries(axes).reduce<Variant[]>(
    (acc, [axis, values]) => acc.flatMap((v) => values.map((value) => ({ ...v, [axis]: value }))),
    [{}],
  );
}

/** Mean and 95% t interval over the seeds (the grid-point views' one interval). */
export function summarize(values: number[]): MetricSummary {
  const n = values.length;
  const m = n === 0 ? null : mean(values);
  const sd = n < 2 || m === null ? null : Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
  return summarizeMetric(n, m, sd);
}

type CellAt<T> = (variant: Variant, snr: number, lr: number, seed: number) => T;

/** The cell key of a grid's variant at an SNR, rate and seed. */
function cellKeyOf(grid: StudyGrid, regime: Regime, mode: Mode): CellAt<string> {
  const fixed = studySpec(grid, regime, mode).fixed as Record<string, AxisValue>;
  return (variant, snr, lr, seed) =>
    cellKey(parseCellParams({ ...fixed, method: METHOD.simclr, ...variant, snr, pretrain_lr: lr, seed }));
}

/** A grid's stored cell at a variant, SNR, rate and seed. */
export type CellLookup = CellAt<StoredRow | undefined>;

export function cellLookup(grid: StudyGrid, regime: Regime, mode: Mode, rows: StoredRow[]): CellLookup {
  const keyOf = cellKeyOf(grid, regime, mode);
  const byKey = new Map(rows.map((row) => [row.cell_key as string, row]));
  return (variant, snr, lr, seed) => byKey.get(keyOf(variant, snr, lr, seed));
}

/** Whether a stored cell has a result. */
const isDone = (row: StoredRow | undefined): row is StoredRow => row?.status === 'done';

/** Whether a done cell diverged (trainer/types.ts: its metrics are not measurements). */
const isDiverged = (row: StoredRow | undefined): boolean => isDone(row) && row.diverged === true;

/** A done cell's finite metric, else null (also for a diverged cell: it is counted, never averaged in). */
export const metricOf = (row: StoredRow | undefined, metric: string): number | null => {
  const value = isDone(row) && !isDiverged(row) ? row[metric] : null;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

/** Every variant of a grid's sweep: its rate chosen on the selection seeds, its metrics on the reported ones. */
export function summarizeGrid(
  grid: StudyGrid,
  regime: Regime,
  mode: Mode,
  rows: StoredRow[],
): VariantResult[] {
  const plan = PLANS[mode];
  const lrs = plan.lrs[regime][grid.similarity];
  const keyOf = cellKeyOf(grid, regime, mode);
  const rowOf = cellLookup(grid, regime, mode, rows);
  // Variants that are one cell (say, the signal direction without a mask) are reported once.
  const seen = new Set<string>();
  const distinct = variantsOf(grid.axes).filter((variant) => {
    const key = keyOf(variant, plan.snrs[0], lrs[0], plan.seeds[0]);
    return !seen.has(key) && seen.add(key);
  });
  return distinct.flatMap((variant) =>
    plan.snrs.map((snr): VariantResult => {
      const lr = selectLr(
        lrs.map((candidate) => {
          const selection = plan.selectionSeeds.map((seed) => rowOf(variant, snr, candidate, seed));
          return {
            lr: candidate,
            linearProbeError: selection.map((row) => metricOf(row, 'linear_probe_error')),
            bestTestError: selection.map((row) => metricOf(row, 'best_test_error')),
          };
        }),
      );
      const reported = lr === null ? [] : plan.seeds.map((seed) => rowOf(variant, snr, lr, seed));
      const metrics = Object.fromEntries(
        STUDY_METRICS.map((metric) => [
          metric,
          summarize(reported.map((row) => metricOf(row, metric)).filter((v) => v !== null)),
        ]),
      ) as Record<StudyMetric, MetricSummary>;
      const done = reported.filter(isDone).length;
      const diverged = reported.filter(isDiverged).length;
      return { grid: grid.name, regime, snr, variant, lr, done, diverged, metrics };
    }),
  );
}
