import type pg from 'pg';
import { SETTLED_STATUSES } from '../sweep/statuses.ts';
import { COMMAND_METHOD, RESULT_METRICS } from '../trainer/index.ts';
import { toGridPoint, type GridPoint, type GridPointRow } from './grid-points.ts';
import type { CodeVersion } from '../sweep/code-versions.ts';

// The program version a run's cells were keyed with: the code hash its registration wrote into its spec
// (store/sweeps.ts' recordCodeHash). NULL for a built-in method's run.
export const runCodeHash = (sweep: string): string => `${sweep}.spec -> '${COMMAND_METHOD}' ->> 'code_hash'`;
const RUN_CODE_HASH = runCodeHash('s');

// The cells of a schedule's finished runs, each once (a cell two runs share belongs to the first), with
// the version of the program it was made by: its result's code hash, or for a cell without a result the
// code hash of the run that planned it (a cell's key holds the code hash, so a cell is of one version).
const POOLED_CELLS = `
SELECT DISTINCT ON (c.cell_key) c.cell_key, c.params - 'seed' AS params, c.ordinal, s.created_at,
  coalesce(r.code_hash, ${RUN_CODE_HASH}) AS code_hash,
  r.cell_key IS NOT NULL AS has_result, coalesce(r.diverged, false) AS diverged,
  ${RESULT_METRICS.map((m) => `r.${m}`).join(', ')}, CASE WHEN NOT r.diverged THEN r.metrics END AS named
FROM sweeps s
JOIN sweep_cells c ON c.sweep_id = s.id
LEFT JOIN results r ON r.cell_key = c.cell_key
WHERE s.schedule_id = $1 AND s.status = ANY($2)
ORDER BY c.cell_key, s.created_at`;

// The grid points of a schedule over the seeds of all its finished runs together (`show --all-runs`):
// with `schedule create --fresh-seeds` each run adds seeds, and the intervals narrow night by night.
// A cell two runs share counts once. $3: one version of the program only (NULL: every version). Same
// columns as GRID_POINTS_SQL, so gridPoints' reader maps them (a program's metrics by name in
// metric_stats, for a schedule of a spec with a `command:` section).
const SCHEDULE_GRID_POINTS_SQL = `
WITH cells AS (
  SELECT * FROM (${POOLED_CELLS}) pooled WHERE $3::text IS NULL OR code_hash = $3
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

// The versions of the program among a schedule's finished runs, newest first (by its latest run); none
// for a built-in method's schedule.
const SCHEDULE_CODE_VERSIONS_SQL = `
WITH cells AS (${POOLED_CELLS}),
runs AS (
  SELECT ${RUN_CODE_HASH} AS code_hash, count(*)::int AS runs, max(s.created_at) AS last_run
  FROM sweeps s WHERE s.schedule_id = $1 AND s.status = ANY($2)
  GROUP BY 1
)
SELECT cells.code_hash, (count(*) FILTER (WHERE cells.has_result))::int AS results,
  coalesce(any_value(runs.runs), 0) AS runs
FROM cells LEFT JOIN runs ON runs.code_hash = cells.code_hash
WHERE cells.code_hash IS NOT NULL
GROUP BY cells.code_hash
ORDER BY coalesce(max(runs.last_run), max(cells.created_at)) DESC, cells.code_hash`;

export async function scheduleCodeVersions(pool: pg.Pool, scheduleId: string): Promise<CodeVersion[]> {
  const { rows } = await pool.query<CodeVersion>(SCHEDULE_CODE_VERSIONS_SQL, [scheduleId, SETTLED_STATUSES]);
  return rows;
}

/** `codeHash`: the full code hash of one version of the program to read, or null for all of them. */
export async function scheduleGridPoints(
  pool: pg.Pool,
  scheduleId: string,
  codeHash: string | null = null,
): Promise<{ runs: number; points: GridPoint[] }> {
  const { rows } = await pool.query<GridPointRow>(SCHEDULE_GRID_POINTS_SQL, [
    scheduleId,
    SETTLED_STATUSES,
    codeHash,
  ]);
  const { rows: runs } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM sweeps s WHERE s.schedule_id = $1 AND s.status = ANY($2)
       AND ($3::text IS NULL OR ${RUN_CODE_HASH} = $3)`,
    [scheduleId, SETTLED_STATUSES, codeHash],
  );
  return { runs: runs[0].n, points: rows.map(toGridPoint) };
}
