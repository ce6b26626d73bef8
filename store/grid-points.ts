import type pg from 'pg';
import { summarizeMetric, type MetricSummary } from '../sweep/stats.ts';
import { gridParamsOf, type GridParams } from '../sweep/axes.ts';
import { RESULT_METRICS, type ResultMetric } from '../trainer/index.ts';
import { GRID_POINTS_SQL } from './queries.ts';

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

// A grid point as SQL returns it: per metric its count, mean and sample standard deviation.
export type GridPointRow = Omit<GridPoint, 'metrics' | 'params'> & {
  params: Record<string, unknown>;
} & Record<`n_${ResultMetric}`, number> &
  Record<`mean_${ResultMetric}` | `sd_${ResultMetric}`, number | null>;

export async function gridPoints(pool: pg.Pool, sweepId: string): Promise<GridPoint[]> {
  const { rows } = await pool.query<GridPointRow>(GRID_POINTS_SQL, [sweepId]);
  return rows.map(toGridPoint);
}

export function toGridPoint(row: GridPointRow): GridPoint {
  return {
    params: gridParamsOf(row.params),
    cells: row.cells,
    seeds: row.seeds,
    diverged: row.diverged,
    failed: row.failed,
    round: row.round,
    metrics: Object.fromEntries(
      RESULT_METRICS.map((m) => [m, summarizeMetric(row[`n_${m}`], row[`mean_${m}`], row[`sd_${m}`])]),
    ) as Record<ResultMetric, MetricSummary>,
  };
}
