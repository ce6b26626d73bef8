import type pg from 'pg';
import { tQuantile } from '../sweep/stats.ts';
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
} & Record<`n_${ResultMetric}`, number> &
  Record<`mean_${ResultMetric}` | `sd_${ResultMetric}`, number | null>;

/** Mean and 95% Student t interval from a metric's count, mean and sample standard deviation. */
export function summarizeMetric(n: number, mean: number | null, sd: number | null): MetricSummary {
  if (n < 2 || mean === null || sd === null) return { n, mean, ci95_low: null, ci95_high: null };
  const half = (tQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, ci95_low: mean - half, ci95_high: mean + half };
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
    metrics: Object.fromEntries(
      RESULT_METRICS.map((m) => [m, summarizeMetric(row[`n_${m}`], row[`mean_${m}`], row[`sd_${m}`])]),
    ) as Record<ResultMetric, MetricSummary>,
  }));
}
