import type pg from 'pg';
import { SETTLED_STATUSES } from '../sweep/statuses.ts';
import { RESULT_METRICS } from '../trainer/index.ts';
import { toGridPoint, type GridPoint, type GridPointRow } from './grid-points.ts';

// The grid points of a schedule over the seeds of all its finished runs together (`show --all-runs`):
// with `schedule create --fresh-seeds` each run adds seeds, and the intervals narrow night by night.
// A cell two runs share counts once. Same columns as GRID_POINTS_SQL, so gridPoints' reader maps them.
const SCHEDULE_GRID_POINTS_SQL = `
WITH cells AS (
  SELECT DISTINCT ON (c.cell_key) c.cell_key, c.params - 'seed' AS params, c.ordinal, s.created_at,
    r.cell_key IS NOT NULL AS has_result, coalesce(r.diverged, false) AS diverged,
    ${RESULT_METRICS.map((m) => `r.${m}`).join(', ')}
  FROM sweeps s
  JOIN sweep_cells c ON c.sweep_id = s.id
  LEFT JOIN results r ON r.cell_key = c.cell_key
  WHERE s.schedule_id = $1 AND s.status = ANY($2)
  ORDER BY c.cell_key, s.created_at
)
SELECT params, count(*)::int AS cells, count(*) FILTER (WHERE has_result)::int AS seeds,
  count(*) FILTER (WHERE diverged)::int AS diverged, count(*) FILTER (WHERE NOT has_result)::int AS failed,
  0 AS round,
  ${RESULT_METRICS.map((m) => `count(${m})::int AS n_${m}, avg(${m}) AS mean_${m}, stddev_samp(${m}) AS sd_${m}`).join(',\n  ')}
FROM cells
GROUP BY params
ORDER BY min(created_at), min(ordinal)`;

export async function scheduleGridPoints(
  pool: pg.Pool,
  scheduleId: string,
): Promise<{ runs: number; points: GridPoint[] }> {
  const { rows } = await pool.query<GridPointRow>(SCHEDULE_GRID_POINTS_SQL, [scheduleId, SETTLED_STATUSES]);
  const { rows: runs } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM sweeps WHERE schedule_id = $1 AND status = ANY($2)',
    [scheduleId, SETTLED_STATUSES],
  );
  return { runs: runs[0].n, points: rows.map(toGridPoint) };
}
