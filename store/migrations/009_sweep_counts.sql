-- One definition of a sweep's counts, computed from its cells, results and failures at the moment of
-- asking. The counters the workflow used to write into sweeps only when it finished disagreed with the
-- store while a sweep ran, after a cancel and after its worker died, so they are dropped: every reader
-- (CLI, workers, Grafana) calls sweep_counts instead.

-- cell_outcomes as 007 left it, plus `cached`: the cell's result was trained by another sweep (or
-- before sweeps were recorded), so this sweep found it in the cache. Added at the end: the views built
-- on cell_outcomes keep their columns.
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
  f.error AS failure,
  CASE WHEN NOT r.diverged THEN r.best_test_error END AS best_test_error,
  CASE WHEN NOT r.diverged THEN r.signal_learning END AS signal_learning,
  CASE WHEN NOT r.diverged THEN r.pretrain_alignment END AS pretrain_alignment,
  r.best_test_error AS raw_best_test_error,
  r.signal_learning AS raw_signal_learning,
  r.pretrain_alignment AS raw_pretrain_alignment,
  r.cell_key IS NOT NULL AND r.sweep_id IS DISTINCT FROM c.sweep_id AS cached
FROM sweep_cells c
LEFT JOIN LATERAL (SELECT * FROM results WHERE results.cell_key = c.cell_key OFFSET 0) r ON true
LEFT JOIN LATERAL (
  SELECT * FROM failures WHERE failures.sweep_id = c.sweep_id AND failures.cell_key = c.cell_key OFFSET 0
) f ON true;

-- done includes cached (a fully cached sweep is 36/36 done, 36 cached); failed is a recorded failure
-- with still no result; pending is neither: done + failed + pending = total.
CREATE FUNCTION sweep_counts(p_sweep_id text)
RETURNS TABLE (total integer, done integer, cached integer, failed integer, pending integer)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT
    count(*)::integer,
    (count(*) FILTER (WHERE has_result))::integer,
    (count(*) FILTER (WHERE cached))::integer,
    (count(*) FILTER (WHERE failed))::integer,
    (count(*) FILTER (WHERE NOT has_result AND NOT failed))::integer
  FROM cell_outcomes
  WHERE sweep_id = p_sweep_id
$$;

ALTER TABLE sweeps
  DROP COLUMN total_cells,
  DROP COLUMN cached_cells,
  DROP COLUMN done_cells,
  DROP COLUMN failed_cells;
