-- The metrics added with SimCLR's design choices (the trainer's RESULT_METRICS): the best iterate's test
-- error, paper-spec 3.1's signal learning gamma, and the pre-trained encoder's alignment, kept apart
-- from the trained classifier's.
ALTER TABLE results
  ADD COLUMN best_test_error double precision,
  ADD COLUMN signal_learning double precision,
  ADD COLUMN pretrain_alignment double precision,
  ADD COLUMN noise_memorization_unnormalized double precision;

-- Rows stored before this migration used other definitions. Their values are moved, not dropped:
-- a SimCLR row's signal_alignment was its encoder's alignment, so it becomes pretrain_alignment (the
-- classifier's alignment was not measured); noise_memorization was max |<w - w0, xi_i>| without the
-- division by ||xi_i||^2, so it moves to its own column, outside the metrics, and rho stays unknown.
UPDATE results r
SET pretrain_alignment = r.signal_alignment, signal_alignment = NULL
WHERE EXISTS (SELECT 1 FROM sweep_cells c WHERE c.cell_key = r.cell_key AND c.method = 'simclr');
UPDATE results SET noise_memorization_unnormalized = noise_memorization, noise_memorization = NULL;

-- cell_outcomes (005) with the new metrics appended, filtered (NULL for a diverged cell) and raw.
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
  r.pretrain_alignment AS raw_pretrain_alignment
FROM sweep_cells c
LEFT JOIN LATERAL (SELECT * FROM results WHERE results.cell_key = c.cell_key OFFSET 0) r ON true
LEFT JOIN LATERAL (
  SELECT * FROM failures WHERE failures.sweep_id = c.sweep_id AND failures.cell_key = c.cell_key OFFSET 0
) f ON true;
