import type pg from 'pg';
import { mean, tQuantile } from '../sweep/stats.ts';
import { gridParamsOf, type GridParams } from '../sweep/axes.ts';
import { RESULT_METRICS, type ResultMetric } from '../trainer/index.ts';
import { GRID_POINTS_SQL } from './queries.ts';

/** A metric over the seeds of a grid point: count, mean and 95% t interval (null where undefined). */
export interface MetricSummary {
  n: number;
  mean: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
}

// One grid point of a sweep over its seeds: seeds counts cells with a result, diverged ones among them
// add to `diverged` but to no metric.
export interface GridPoint {
  params: GridParams;
  cells: number;
  seeds: number;
  diverged: number;
  failed: number;
  // The refine round that added the point; 0 for the spec's grid.
  round: number;
  metrics: Record<ResultMetric, MetricSummary>;
}

type GridPointRow = Omit<GridPoint, 'metrics' | 'params'> & {
  params: Record<string, unknown>;
} & Record<ResultMetric, number[]>;

/** Mean and 95% Student t interval over the seeds' values (interval null below two values). */
export function summarizeMetric(values: number[]): MetricSummary {
  const n = values.length;
  if (n === 0) return { n, mean: null, ci95_low: null, ci95_high: null };
  const m = mean(values);
  if (n < 2) return { n, mean: m, ci95_low: null, ci95_high: null };
  const sd = Math.sqrt(values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (n - 1));
  const half = (tQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { n, mean: m, ci95_low: m - half, ci95_high: m + half };
}

export async function gridPoints(pool: pg.Pool, sweepId: string): Promise<GridPoint[]> {
  const { rows } = await pool.query<GridPointRow>(GRID_POINTS_SQL, [sweepId]);
  return rows.map((row) => ({
    params: gridParamsOf(row.params),
    cells: row.cells,
    seeds: row.seeds,
    diverged: row.diverged,
    failed: row.failed,
    round: row.round,
    metrics: Object.fromEntries(RESULT_METRICS.map((m) => [m, summarizeMetric(row[m])])) as Record<
      ResultMetric,
      MetricSummary
    >,
  }));
}
