import pg from 'pg';
import { isResultMetric, type MetricName } from '../trainer/index.ts';
import { gridParamsOf } from '../sweep/axes.ts';
import type { PointMean } from '../sweep/boundary-window.ts';
import { metricValueSql } from './metric-sql.ts';
import type { RefineObservationRow } from './refine-cells.ts';

// A metric's count or mean in a grid point's tally: a built-in metric's column for a built-in method's
// point, and a program's metric (migration 020's metric_stats) by name.
function tallySql(metric: MetricName, field: 'n' | 'mean'): string {
  const named = `(metric_stats -> ${pg.escapeLiteral(metric)} ->> '${field}')::double precision`;
  const value = field === 'n' ? `coalesce(${named}, 0)::integer` : named;
  if (!isResultMetric(metric)) return value;
  return `CASE WHEN metric_stats = '{}'::jsonb THEN ${pg.escapeIdentifier(`${field}_${metric}`)} ELSE ${value} END`;
}

// One row per grid point of the sweep from its tallies (migration 012): the seed mean of `metric`
// over the point's cells, kept up to date as results arrive, so reading it costs grid points, not cells.
export async function pointMeans(pool: pg.Pool, sweepId: string, metric: MetricName): Promise<PointMean[]> {
  const { rows } = await pool.query<{
    point_key: string;
    params: Record<string, unknown>;
    cells: number;
    n: number;
    mean: number | null;
  }>(
    `SELECT point_key, params, cells, ${tallySql(metric, 'n')} AS n, ${tallySql(metric, 'mean')} AS mean
     FROM grid_point_tallies WHERE sweep_id = $1 ORDER BY first_ordinal`,
    [sweepId],
  );
  return rows.map((r) => ({
    pointKey: r.point_key,
    params: { ...gridParamsOf(r.params), seed: 0 },
    cells: r.cells,
    values: r.n,
    mean: r.n > 0 ? r.mean : null,
  }));
}

// The cells of the given grid points with their metric (NULL without a result, or diverged), through
// the (sweep_id, point_key) index of migration 022.
export async function pointCells(
  pool: pg.Pool,
  sweepId: string,
  metric: MetricName,
  pointKeys: string[],
): Promise<RefineObservationRow[]> {
  if (pointKeys.length === 0) return [];
  const { rows } = await pool.query<RefineObservationRow>(
    `SELECT c.params, 0 AS round, CASE WHEN NOT r.diverged THEN ${metricValueSql('r', metric)} END AS metric
     FROM sweep_cells c
     LEFT JOIN LATERAL (SELECT * FROM results WHERE results.cell_key = c.cell_key OFFSET 0) r ON true
     WHERE c.sweep_id = $1 AND c.point_key = ANY($2::text[])
     ORDER BY c.ordinal`,
    [sweepId, pointKeys],
  );
  return rows;
}
