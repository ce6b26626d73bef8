-- cell_outcomes (003) again, with per-cell primary-key lookups instead of plain joins, and the raw
-- result and failure columns that `results`/`export` read. Replaced in place: the views built on it
-- (grid_point_stats, phase_boundary) keep their definitions.
-- One row per cell of a sweep with its outcome. Diverged cells keep their row (they are counted) but
-- contribute no metric values. The lookups are LATERAL subqueries with OFFSET 0, which Postgres does not
-- flatten into plain joins: each cell is one primary-key probe, so reading a sweep costs in proportion
-- to the sweep, never a scan of all results (a hash join over every result is what the planner picks
-- for a plain join while the results table is small enough to seem cheap to scan).
CREATE OR REPLACE VIEW cell_outcomes AS
SELECT
  c.*,
  r.cell_key IS NOT NULL AS has_result,
  coalesce(r.diverged, false) AS diverged,
  f.cell_key IS NOT NULL AND r.cell_key IS NULL AS failed,
  CASE WHEN NOT r.diverged THEN r.test_error END AS test_error,
  CASE WHEN NOT r.diverged THEN r.test_loss END AS test_loss,
  CASE WHEN NOT r.diverged THEN r.train_loss END AS train_loss,
  CASE WHEN NOT r.diverged THEN r.signal_alignment END AS signal_alignment,
  CASE WHEN NOT r.diverged THEN r.noise_memorization END AS noise_memorization,
  r.diverged AS result_diverged,
  r.test_error AS raw_test_error,
  r.test_loss AS raw_test_loss,
  r.train_loss AS raw_train_loss,
  r.signal_alignment AS raw_signal_alignment,
  r.noise_memorization AS raw_noise_memorization,
  r.steps AS trained_steps,
  r.wall_ms,
  r.backend,
  r.worker_id,
  r.trainer_version,
  r.finished_at,
  f.attempt AS failed_attempts,
  f.error AS failure
FROM sweep_cells c
LEFT JOIN LATERAL (SELECT * FROM results WHERE results.cell_key = c.cell_key OFFSET 0) r ON true
LEFT JOIN LATERAL (
  SELECT * FROM failures WHERE failures.sweep_id = c.sweep_id AND failures.cell_key = c.cell_key OFFSET 0
) f ON true;
