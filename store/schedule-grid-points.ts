import type pg from 'pg';
import { SETTLED_STATUSES } from '../sweep/statuses.ts';
import { COMMAND_METHOD, RESULT_METRICS } from '../trainer/index.ts';
import { toGridPoint, type GridPoint, type GridPointRow } from './grid-points.ts';

// The grid points of a schedule over the seeds of all its finished runs together (`show --all-runs`):
// with `schedule create --fresh-seeds` each run adds seeds, and the intervals narrow night by night.
// A cell two runs share counts once. Same columns as GRID_POINTS_SQL, so gridPoints' reader maps them
// (a program's metrics by name in metric_stats, for a schedule of a spec with a `command:` section).
const SCHEDULE_GRID_POINTS_SQL = `
WITH cells AS (
  SELECT DISTINCT ON (c.cell_key) c.cell_key, c.params - 'seed' AS params, c.ordinal, s.created_at,
    r.cell_key IS NOT NULL AS has_result, coalesce(r.diverged, false) AS diverged,
    ${RESULT_METRICS.map((m) => `r.${m}`).join(', ')}, CASE WHEN NOT r.diverged THEN r.metrics END AS named
  FROM sweeps s
  JOIN sweep_cells c ON c.sweep_id = s.id
  LEFT JOIN results r ON r.cell_key = c.cell_key
  WHERE s.schedule_id = $1 AND s.status = ANY($2)
  ORDER BY c.cell_key, s.created_at
), named AS (
  SELECT cells.params, e.key AS name, count(v.value)::int AS n, avg(v.value) AS mean, stddev_samp(v.value) AS sd
  FROM cells
  CROSS JOIN LATERAL jsonb_each(cells.named) e
  CROSS JOIN LATERAL (
    SELECT CASE WHEN jsonb_typeof(e.value) = 'number' THEN e.value::double precision END AS value
  ) v
  GROUP BY cells.params, e.key
)
SELECT params, count(*)::int AS cells, count(*) FILTER (WHERE has_result)::int AS seeds,
  count(*) FILTER (WHERE diverged)::int AS diverged, count(*) FILTER (WHERE NOT has_result)::int AS failed,
  0 AS round,
  ${RESULT_METRICS.map((m) => `count(${m})::int AS n_${m}, avg(${m}) AS mean_${m}, stddev_samp(${m}) AS sd_${m}`).join(',\n  ')},
  (SELECT jsonb_object_agg(name, jsonb_build_object('n', n, 'mean', mean, 'sd', sd)) FROM named
    WHERE named.params = cells.params) AS metric_stats,
  coalesce((SELECT bool_or(spec ? '${COMMAND_METHOD}') FROM sweeps WHERE schedule_id = $1), false) AS by_name
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
