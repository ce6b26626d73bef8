// Test-only: reads the grid_point_stats view (which Grafana reads) row by row, so tests can check it
// against gridPoints and live aggregates; no production code reads it this way.
import type pg from 'pg';
import type { ResultMetric } from '../../trainer/index.ts';
import { GRID_STATS_SQL } from '../../store/queries.ts';

// The coordinates of a grid point of a sweep: `params` holds every trainer parameter but the seed; the
// typed columns repeat the ones sweep_cells has columns for.
export interface GridRow {
  sweep_id: string;
  params: Record<string, unknown>;
  method: string;
  n_labels: number;
  n_unlabeled: number | null;
  d: number;
  m: number;
  q: number;
  p: number;
  sigma0: number;
  sigma_p: number;
  lr: number;
  steps: number;
  n_test: number;
  pretrain_steps: number | null;
  pretrain_lr: number | null;
  tau: number | null;
}

// One row of the grid_point_stats view (store/migrations/010_grid_point_params.sql): a grid point of a
// sweep over its seeds, keyed by `params` (every trainer parameter but the seed, as gridPoints keys
// it). seeds counts cells with a result; diverged ones among them add to `diverged` but to no metric.
// Per metric: n, mean, sd and 95% CI, NULL below two values; test error's columns carry no suffix.
type OtherMetric = Exclude<ResultMetric, 'test_error'>;
type MetricColumns = { [M in OtherMetric as `n_${M}`]: number } & {
  [M in OtherMetric as `mean_${M}` | `sd_${M}` | `ci95_low_${M}` | `ci95_high_${M}`]: number | null;
};
export type GridPointStats = GridRow &
  MetricColumns & {
    snr: number;
    cells: number;
    seeds: number;
    diverged: number;
    failed: number;
    first_ordinal: number;
    n: number;
    mean_test_error: number | null;
    sd_test_error: number | null;
    ci95_low: number | null;
    ci95_high: number | null;
  };

export async function gridStats(pool: pg.Pool, sweepId: string): Promise<GridPointStats[]> {
  const { rows } = await pool.query<GridPointStats>(GRID_STATS_SQL, [sweepId]);
  return rows;
}
