import { COMMAND_METHOD, RESULT_METRICS } from '../trainer/index.ts';

// The SQL that the CLI, the workers and the Grafana dashboards share, as text: one definition per
// question. Parameters are $1, $2, ...; `withParams` swaps them for Grafana variables.

// A sweep row as every command shows it: the stored columns and its counts (sweep_counts, 009, 012).
export const SWEEP_BY_ID_OR_NAME_SQL = `
SELECT s.*, to_jsonb(c) AS counts
FROM (
  (SELECT * FROM sweeps WHERE id = $1)
  UNION ALL
  (SELECT * FROM sweeps WHERE name = $1 ORDER BY created_at DESC LIMIT 1)
  LIMIT 1
) s
CROSS JOIN LATERAL sweep_counts(s.id) c`;

// The sweeps are picked first, so only those are counted.
export const LIST_SWEEPS_SQL = `
SELECT s.*, to_jsonb(c) AS counts
FROM (
  SELECT * FROM sweeps
  WHERE $2::text IS NULL OR schedule_id = $2
  ORDER BY created_at DESC
  LIMIT $1
) s
CROSS JOIN LATERAL sweep_counts(s.id) c
ORDER BY s.created_at DESC`;

// The sweep's cells with ordinals in ($2, $3], in grid order, each probed for a result (from any sweep:
// the cache) and a recorded failure; a pending cell (neither) comes with its key and parameters. Bounded
// by ordinal on both sides, so a page costs its own rows wherever it starts, whatever plan is chosen:
// filtering the pending cells first, under a LIMIT, let the planner (which cannot tell how many are
// pending, nor, before the table is analysed, how many cells a fresh sweep has) probe and sort every
// cell after the cursor, and a sweep's batches cost its size squared.
export const SWEEP_CELL_PAGE_SQL = `
SELECT c.ordinal, r.found IS NULL AND f.found IS NULL AS pending,
  CASE WHEN r.found IS NULL AND f.found IS NULL THEN c.cell_key END AS cell_key,
  CASE WHEN r.found IS NULL AND f.found IS NULL THEN c.params END AS params
FROM sweep_cells c
LEFT JOIN LATERAL (SELECT true AS found FROM results r WHERE r.cell_key = c.cell_key OFFSET 0) r ON true
LEFT JOIN LATERAL (
  SELECT true AS found FROM failures f WHERE f.sweep_id = c.sweep_id AND f.cell_key = c.cell_key OFFSET 0
) f ON true
WHERE c.sweep_id = $1 AND c.ordinal > $2 AND c.ordinal <= $3
ORDER BY c.ordinal`;

// The sweep's last ordinal (refine rounds append cells), from the (sweep_id, ordinal) index.
export const SWEEP_LAST_ORDINAL_SQL = `SELECT max(ordinal) AS last FROM sweep_cells WHERE sweep_id = $1`;

export const SWEEP_COUNTS_SQL = `SELECT * FROM sweep_counts($1)`;

// The same counts recomputed from every cell, result and failure (store/migrations/012_tallies.sql):
// `verify` checks the tally against it.
export const SWEEP_RECOUNT_SQL = `SELECT * FROM sweep_recount($1)`;

// A page of a sweep's cells in grid order, after ordinal $2, at most $3: each with its parameters (as
// stored: store/results.ts makes them one column each), status and raw metrics (a diverged cell shows
// its flag); a program's metrics by name and its code hash (020). Keyset paging on (sweep_id, ordinal), so a page costs its own rows, wherever it starts.
export const SWEEP_RESULTS_SQL = `
SELECT
  ordinal, cell_key, params,
  CASE WHEN has_result THEN 'done' WHEN failed THEN 'failed' ELSE 'pending' END AS status, cached,
  ${RESULT_METRICS.map((metric) => `raw_${metric} AS ${metric}`).join(', ')},
  result_diverged AS diverged, trained_steps, wall_ms, backend, worker_id, trainer_version, finished_at,
  failed_attempts, failure, raw_metrics AS metrics, code_hash
FROM cell_outcomes
WHERE sweep_id = $1 AND ordinal > $2
ORDER BY ordinal
LIMIT $3`;

// Whether sweep $1's parameters and metrics are a user's program's own, known by name only: its spec has
// a `command:` section (README "Your own trainer").
export const BY_NAME_SQL = `coalesce((SELECT s.spec ? '${COMMAND_METHOD}' FROM sweeps s WHERE s.id = $1), false)`;

// What `results` and `export` need to lay out sweep $1's columns: whether its parameters and metrics are
// a program's own, and then the metric names its spec lists and its results carry.
export const SWEEP_METRIC_NAMES_SQL = `
SELECT ${BY_NAME_SQL} AS by_name,
  ARRAY(SELECT jsonb_array_elements_text(s.spec -> '${COMMAND_METHOD}' -> 'metrics') FROM sweeps s WHERE s.id = $1)
    AS listed,
  ARRAY(SELECT DISTINCT jsonb_object_keys(metric_stats) FROM grid_point_tallies WHERE sweep_id = $1 ORDER BY 1)
    AS carried`;

// A sweep's grid points over their seeds, keyed by every trainer parameter but the seed (so any
// parameter, also one added later, can be a drawn axis): point_key, the key the store's views group by
// too (store/migrations/010_grid_point_params.sql). Per metric the number of values, their mean and
// sample standard deviation, from grid_point_stats (the tallies of migration 012), the one summary of a
// grid point that show, plot, drift and the dashboards share; a program's metrics by name in
// metric_stats (020). round: the refine round that added the
// point (0: the spec's grid).
export const GRID_POINTS_SQL = `
SELECT
  g.params, g.cells, g.seeds, g.diverged, g.failed, coalesce(rc.round, 0)::integer AS round,
  ${RESULT_METRICS.map((m) => `${m === 'test_error' ? 'n' : `n_${m}`} AS n_${m}, mean_${m}, sd_${m}`).join(',\n  ')},
  g.metric_stats, ${BY_NAME_SQL} AS by_name
FROM grid_point_stats g
LEFT JOIN (
  SELECT c.point_key, min(rc.round) AS round
  FROM refine_cells rc
  JOIN sweep_cells c ON c.sweep_id = rc.sweep_id AND c.cell_key = rc.cell_key
  WHERE rc.sweep_id = $1
  GROUP BY c.point_key
) rc ON rc.point_key = g.point_key
WHERE g.sweep_id = $1
ORDER BY g.first_ordinal`;

const ROW_ORDER = `method, n_unlabeled NULLS FIRST, n_labels, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
  pretrain_steps NULLS FIRST, pretrain_lr NULLS FIRST, tau NULLS FIRST`;

// Points and rows that differ only in an untyped parameter (projection_head, ...) follow in grid order.
export const GRID_STATS_SQL = `
SELECT * FROM grid_point_stats
WHERE sweep_id = $1
ORDER BY ${ROW_ORDER}, snr, first_ordinal`;

// The boundaries refine: found (store/migrations/008_refine_boundaries.sql, 016), one row per group.
// group_key orders them only stably: store/boundaries.ts sorts them numerically.
export const SWEEP_BOUNDARIES_SQL = `
SELECT * FROM boundaries
WHERE sweep_id = $1 AND source = 'refine'
ORDER BY group_key`;

// The slopes of refine:'s crossings against a sample size (016), one row per set of groups fitted.
export const SWEEP_BOUNDARY_SLOPES_SQL = `
SELECT * FROM boundary_slopes
WHERE sweep_id = $1 AND source = 'refine'
ORDER BY part_key`;

export const SWEEP_FAILURES_SQL = `
SELECT cell_key, attempt, error, at FROM failures
WHERE sweep_id = $1
ORDER BY at DESC`;

// A cell's training curve: the built-in columns and a program's metrics by name (019).
export const CELL_CURVE_SQL = `
SELECT step, train_loss, test_error, metrics FROM curves
WHERE cell_key = $1
ORDER BY step`;

// Results finished per minute over the last $1 minutes, with the mean wall time: worker throughput.
export const RECENT_THROUGHPUT_SQL = `
SELECT date_trunc('minute', finished_at) AS minute, count(*)::integer AS results, avg(wall_ms) AS mean_wall_ms
FROM results
WHERE finished_at > now() - make_interval(mins => $1)
GROUP BY 1
ORDER BY 1`;

// The mean test error of each (method, n_labels, n_unlabeled, snr) across the last $2 runs of one
// schedule: nightly drift. From the grid-point tallies (012): the runs are picked first, then their
// points' means are pooled, one index range per run, so the work is proportional to those runs' grid
// points, not their cells.
export const SCHEDULE_DRIFT_SQL = `
SELECT s.id AS sweep_id, s.created_at, g.method, g.n_labels, g.n_unlabeled, g.snr,
  sum(g.mean_test_error * g.n_test_error) / nullif(sum(g.n_test_error), 0) AS mean_test_error,
  sum(g.n_test_error)::integer AS n
FROM (SELECT id, created_at FROM sweeps WHERE schedule_id = $1 ORDER BY created_at DESC LIMIT $2) s
JOIN LATERAL (SELECT * FROM grid_point_tallies g WHERE g.sweep_id = s.id OFFSET 0) g ON true
GROUP BY s.id, s.created_at, g.method, g.n_labels, g.n_unlabeled, g.snr
ORDER BY s.created_at, g.method, g.n_unlabeled NULLS FIRST, g.n_labels, g.snr`;

// Example arguments a query is run and EXPLAINed with, by the benchmark and the index test.
export interface CatalogueEntry {
  sql: string;
  args: (ctx: { sweepId: string; sweepName: string; scheduleId: string; cellKey: string }) => unknown[];
}

// Rows per page of `results` and `export`: a page reads in about 20 ms at 100,000 results
// (bench/RESULTS.md), and the whole sweep is never held in memory.
export const RESULT_PAGE_ROWS = 1_000;

export const QUERY_CATALOGUE: Record<string, CatalogueEntry> = {
  sweep_by_name: { sql: SWEEP_BY_ID_OR_NAME_SQL, args: (c) => [c.sweepName] },
  list_sweeps: { sql: LIST_SWEEPS_SQL, args: () => [50, null] },
  list_schedule_sweeps: { sql: LIST_SWEEPS_SQL, args: (c) => [50, c.scheduleId] },
  sweep_cell_page: { sql: SWEEP_CELL_PAGE_SQL, args: (c) => [c.sweepId, -1, 499] },
  sweep_counts: { sql: SWEEP_COUNTS_SQL, args: (c) => [c.sweepId] },
  sweep_results: { sql: SWEEP_RESULTS_SQL, args: (c) => [c.sweepId, -1, RESULT_PAGE_ROWS] },
  grid_stats: { sql: GRID_STATS_SQL, args: (c) => [c.sweepId] },
  grid_points: { sql: GRID_POINTS_SQL, args: (c) => [c.sweepId] },
  sweep_boundaries: { sql: SWEEP_BOUNDARIES_SQL, args: (c) => [c.sweepId] },
  sweep_boundary_slopes: { sql: SWEEP_BOUNDARY_SLOPES_SQL, args: (c) => [c.sweepId] },
  sweep_failures: { sql: SWEEP_FAILURES_SQL, args: (c) => [c.sweepId] },
  cell_curve: { sql: CELL_CURVE_SQL, args: (c) => [c.cellKey] },
  recent_throughput: { sql: RECENT_THROUGHPUT_SQL, args: () => [60] },
  schedule_drift: { sql: SCHEDULE_DRIFT_SQL, args: (c) => [c.scheduleId, 7] },
};

// Replaces $1, $2, ... by SQL expressions, e.g. withParams(GRID_STATS_SQL, ["'$sweep'"]) for Grafana.
export function withParams(sql: string, exprs: string[]): string {
  return sql.replace(/\$(\d+)\b/g, (whole, n: string) => {
    const expr = exprs[Number(n) - 1];
    if (expr === undefined) throw new Error(`withParams: no expression for ${whole}`);
    return expr;
  });
}
