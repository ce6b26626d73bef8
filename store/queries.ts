// The SQL that the CLI, the workers and the Grafana dashboards share, as text: one definition per
// question. Parameters are $1, $2, ...; `withParams` swaps them for Grafana variables.

export const SWEEP_BY_ID_OR_NAME_SQL = `
(SELECT * FROM sweeps WHERE id = $1)
UNION ALL
(SELECT * FROM sweeps WHERE name = $1 ORDER BY created_at DESC LIMIT 1)
LIMIT 1`;

export const LIST_SWEEPS_SQL = `
SELECT * FROM sweeps
WHERE $2::text IS NULL OR schedule_id = $2
ORDER BY created_at DESC
LIMIT $1`;

export const PENDING_CELLS_SQL = `
SELECT c.cell_key, c.ordinal, c.params
FROM sweep_cells c
WHERE c.sweep_id = $1 AND c.ordinal > $2
  AND NOT EXISTS (SELECT 1 FROM results r WHERE r.cell_key = c.cell_key)
  AND NOT EXISTS (SELECT 1 FROM failures f WHERE f.sweep_id = c.sweep_id AND f.cell_key = c.cell_key)
ORDER BY c.ordinal
LIMIT $3`;

export const SWEEP_COUNTS_SQL = `
SELECT
  count(*)::integer AS total,
  count(r.cell_key)::integer AS done,
  (count(f.cell_key) FILTER (WHERE r.cell_key IS NULL))::integer AS failed
FROM sweep_cells c
LEFT JOIN results r ON r.cell_key = c.cell_key
LEFT JOIN failures f ON f.sweep_id = c.sweep_id AND f.cell_key = c.cell_key
WHERE c.sweep_id = $1`;

// Every cell of a sweep in grid order with its status; raw metrics (a diverged cell shows its flag).
export const SWEEP_RESULTS_SQL = `
SELECT
  c.ordinal, c.cell_key, c.method, c.n_labels, c.n_unlabeled, c.snr, c.seed, c.d, c.m, c.q, c.p,
  c.sigma0, c.sigma_p, c.lr, c.steps, c.n_test, c.pretrain_steps, c.pretrain_lr, c.tau,
  CASE WHEN r.cell_key IS NOT NULL THEN 'done' WHEN f.cell_key IS NOT NULL THEN 'failed' ELSE 'pending' END
    AS status,
  r.test_error, r.test_loss, r.train_loss, r.signal_alignment, r.noise_memorization, r.diverged,
  r.steps AS trained_steps, r.wall_ms, r.backend, r.worker_id, r.trainer_version, r.finished_at,
  f.attempt AS failed_attempts, f.error AS failure
FROM sweep_cells c
LEFT JOIN results r ON r.cell_key = c.cell_key
LEFT JOIN failures f ON f.sweep_id = c.sweep_id AND f.cell_key = c.cell_key
WHERE c.sweep_id = $1
ORDER BY c.ordinal`;

const ROW_ORDER = `method, n_unlabeled NULLS FIRST, n_labels, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
  pretrain_steps NULLS FIRST, pretrain_lr NULLS FIRST, tau NULLS FIRST`;

export const GRID_STATS_SQL = `
SELECT * FROM grid_point_stats
WHERE sweep_id = $1
ORDER BY ${ROW_ORDER}, snr`;

export const PHASE_BOUNDARY_SQL = `
SELECT * FROM phase_boundary
WHERE sweep_id = $1
ORDER BY ${ROW_ORDER}`;

export const SWEEP_FAILURES_SQL = `
SELECT cell_key, attempt, error, at FROM failures
WHERE sweep_id = $1
ORDER BY at DESC`;

export const CELL_CURVE_SQL = `
SELECT step, train_loss, test_error FROM curves
WHERE cell_key = $1
ORDER BY step`;

// Results finished per minute over the last $1 minutes, with the mean wall time: worker throughput.
export const RECENT_THROUGHPUT_SQL = `
SELECT date_trunc('minute', finished_at) AS minute, count(*)::integer AS results, avg(wall_ms) AS mean_wall_ms
FROM results
WHERE finished_at > now() - make_interval(mins => $1)
GROUP BY 1
ORDER BY 1`;

// The same grid point's mean test error across the runs of one schedule: nightly drift.
export const SCHEDULE_DRIFT_SQL = `
SELECT s.id AS sweep_id, s.created_at, g.method, g.n_labels, g.n_unlabeled, g.snr, g.mean_test_error
FROM (SELECT id, created_at FROM sweeps WHERE schedule_id = $1 ORDER BY created_at DESC LIMIT $2) s
JOIN LATERAL (SELECT * FROM grid_point_stats WHERE sweep_id = s.id) g ON true
ORDER BY s.created_at, g.method, g.n_unlabeled NULLS FIRST, g.n_labels, g.snr`;

// Example arguments a query is run and EXPLAINed with, by the benchmark and the index test.
export interface CatalogueEntry {
  sql: string;
  args: (ctx: { sweepId: string; sweepName: string; scheduleId: string; cellKey: string }) => unknown[];
}

export const QUERY_CATALOGUE: Record<string, CatalogueEntry> = {
  sweep_by_name: { sql: SWEEP_BY_ID_OR_NAME_SQL, args: (c) => [c.sweepName] },
  list_sweeps: { sql: LIST_SWEEPS_SQL, args: () => [50, null] },
  list_schedule_sweeps: { sql: LIST_SWEEPS_SQL, args: (c) => [50, c.scheduleId] },
  pending_cells: { sql: PENDING_CELLS_SQL, args: (c) => [c.sweepId, -1, 500] },
  sweep_counts: { sql: SWEEP_COUNTS_SQL, args: (c) => [c.sweepId] },
  sweep_results: { sql: SWEEP_RESULTS_SQL, args: (c) => [c.sweepId] },
  grid_stats: { sql: GRID_STATS_SQL, args: (c) => [c.sweepId] },
  phase_boundary: { sql: PHASE_BOUNDARY_SQL, args: (c) => [c.sweepId] },
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
