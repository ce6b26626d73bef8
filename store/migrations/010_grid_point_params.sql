-- A grid point is every trainer parameter but the seed: the `params` of its cells without `seed`.
-- grid_point_stats and phase_boundary (003) grouped by the typed sweep_cells columns only, so cells
-- differing only in a parameter that has no column (augment_keep, projection_head, similarity,
-- pretrain_batch, ...) were averaged together, while show and plot (GRID_POINTS_SQL) kept them apart.
-- Now all of them group by one key, sweep_cells.point_key. The views expose the point's `params`, keep
-- the typed columns for filters and ordering, and gain the metrics of 007, so that every RESULT_METRICS
-- name has its n/mean/sd/ci columns.

-- A hash of the grid point's parameters, computed by Postgres itself for old and new rows alike.
-- Grouping by it rather than by the jsonb: sorting 5,000 cells on a jsonb of ~25 keys took most of a
-- grid point query's time at 100k results (bench/RESULTS.md).
ALTER TABLE sweep_cells
  ADD COLUMN point_key text GENERATED ALWAYS AS (md5((params - 'seed')::text)) STORED;

-- A result's outcome columns beside its key, so that reading a sweep's outcomes is an index-only probe
-- per cell rather than a probe and a heap visit. Covers what 006's index covered, which it replaces.
CREATE INDEX results_key_outcome_idx ON results (cell_key) INCLUDE (
  sweep_id, diverged, test_error, best_test_error, test_loss, train_loss, signal_alignment,
  signal_learning, noise_memorization, pretrain_alignment
);
DROP INDEX results_key_test_error_idx;

-- Views are replaced whole, and cell_outcomes' `c.*` was expanded when it was made: it is made again
-- (as 009 left it) so that it carries point_key, with the views on it dropped first.
DROP VIEW phase_boundary;
DROP VIEW grid_point_stats;
DROP VIEW cell_outcomes;

CREATE VIEW cell_outcomes AS
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

-- Per sweep and grid point: counts, and per metric n, mean, sample standard deviation and 95% t
-- confidence interval (NULL below two values). Test error's columns carry no suffix (n, ci95_low, ...).
CREATE VIEW grid_point_stats AS
WITH sums AS (
  SELECT
    sweep_id, point_key, any_value(params - 'seed') AS params,
    method, n_labels, n_unlabeled, snr, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
    pretrain_steps, pretrain_lr, tau,
    count(*)::integer AS cells,
    count(*) FILTER (WHERE has_result)::integer AS seeds,
    count(*) FILTER (WHERE diverged)::integer AS diverged,
    count(*) FILTER (WHERE failed)::integer AS failed,
    min(ordinal) AS first_ordinal,
    count(test_error)::integer AS n,
    avg(test_error) AS mean_test_error,
    stddev_samp(test_error) AS sd_test_error,
    count(test_loss)::integer AS n_test_loss,
    avg(test_loss) AS mean_test_loss,
    stddev_samp(test_loss) AS sd_test_loss,
    count(train_loss)::integer AS n_train_loss,
    avg(train_loss) AS mean_train_loss,
    stddev_samp(train_loss) AS sd_train_loss,
    count(signal_alignment)::integer AS n_signal_alignment,
    avg(signal_alignment) AS mean_signal_alignment,
    stddev_samp(signal_alignment) AS sd_signal_alignment,
    count(noise_memorization)::integer AS n_noise_memorization,
    avg(noise_memorization) AS mean_noise_memorization,
    stddev_samp(noise_memorization) AS sd_noise_memorization,
    count(best_test_error)::integer AS n_best_test_error,
    avg(best_test_error) AS mean_best_test_error,
    stddev_samp(best_test_error) AS sd_best_test_error,
    count(signal_learning)::integer AS n_signal_learning,
    avg(signal_learning) AS mean_signal_learning,
    stddev_samp(signal_learning) AS sd_signal_learning,
    count(pretrain_alignment)::integer AS n_pretrain_alignment,
    avg(pretrain_alignment) AS mean_pretrain_alignment,
    stddev_samp(pretrain_alignment) AS sd_pretrain_alignment
  FROM cell_outcomes
  GROUP BY sweep_id, point_key, method, n_labels, n_unlabeled, snr, d, m, q, p, sigma0, sigma_p, lr,
    steps, n_test, pretrain_steps, pretrain_lr, tau
)
SELECT
  sums.*,
  mean_test_error - t975(n - 1) * sd_test_error / sqrt(n) AS ci95_low,
  mean_test_error + t975(n - 1) * sd_test_error / sqrt(n) AS ci95_high,
  mean_test_loss - t975(n_test_loss - 1) * sd_test_loss / sqrt(n_test_loss) AS ci95_low_test_loss,
  mean_test_loss + t975(n_test_loss - 1) * sd_test_loss / sqrt(n_test_loss) AS ci95_high_test_loss,
  mean_train_loss - t975(n_train_loss - 1) * sd_train_loss / sqrt(n_train_loss) AS ci95_low_train_loss,
  mean_train_loss + t975(n_train_loss - 1) * sd_train_loss / sqrt(n_train_loss) AS ci95_high_train_loss,
  mean_signal_alignment - t975(n_signal_alignment - 1) * sd_signal_alignment / sqrt(n_signal_alignment)
    AS ci95_low_signal_alignment,
  mean_signal_alignment + t975(n_signal_alignment - 1) * sd_signal_alignment / sqrt(n_signal_alignment)
    AS ci95_high_signal_alignment,
  mean_noise_memorization - t975(n_noise_memorization - 1) * sd_noise_memorization / sqrt(n_noise_memorization)
    AS ci95_low_noise_memorization,
  mean_noise_memorization + t975(n_noise_memorization - 1) * sd_noise_memorization / sqrt(n_noise_memorization)
    AS ci95_high_noise_memorization,
  mean_best_test_error - t975(n_best_test_error - 1) * sd_best_test_error / sqrt(n_best_test_error)
    AS ci95_low_best_test_error,
  mean_best_test_error + t975(n_best_test_error - 1) * sd_best_test_error / sqrt(n_best_test_error)
    AS ci95_high_best_test_error,
  mean_signal_learning - t975(n_signal_learning - 1) * sd_signal_learning / sqrt(n_signal_learning)
    AS ci95_low_signal_learning,
  mean_signal_learning + t975(n_signal_learning - 1) * sd_signal_learning / sqrt(n_signal_learning)
    AS ci95_high_signal_learning,
  mean_pretrain_alignment - t975(n_pretrain_alignment - 1) * sd_pretrain_alignment / sqrt(n_pretrain_alignment)
    AS ci95_low_pretrain_alignment,
  mean_pretrain_alignment + t975(n_pretrain_alignment - 1) * sd_pretrain_alignment / sqrt(n_pretrain_alignment)
    AS ci95_high_pretrain_alignment
FROM sums;

-- The phase boundary per grid row: every parameter but SNR and seed (`params` without both), as in 003
-- otherwise: the SNR where the mean test error first falls through 0.25 going up in SNR, interpolated
-- in log SNR, NULL when the row never crosses; theory n * SNR*^q, or n_0 * SNR*^2 for SimCLR.
CREATE VIEW phase_boundary AS
WITH pts AS (
  SELECT
    sweep_id, params - 'snr' AS params,
    method, n_labels, n_unlabeled, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
    pretrain_steps, pretrain_lr, tau, snr, mean_test_error AS e,
    lead(snr) OVER w AS snr_next,
    lead(mean_test_error) OVER w AS e_next
  FROM grid_point_stats
  WHERE mean_test_error IS NOT NULL AND snr > 0
  WINDOW w AS (PARTITION BY sweep_id, params - 'snr' ORDER BY snr)
), rows AS (
  SELECT
    sweep_id, params,
    method, n_labels, n_unlabeled, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
    pretrain_steps, pretrain_lr, tau,
    count(*)::integer AS points,
    min(snr) AS snr_min,
    max(snr) AS snr_max,
    (array_agg(
      exp(ln(snr) + (0.25 - e) / (e_next - e) * (ln(snr_next) - ln(snr)))
      ORDER BY snr
    ) FILTER (WHERE e >= 0.25 AND e_next < 0.25))[1] AS snr_star
  FROM pts
  GROUP BY sweep_id, params, method, n_labels, n_unlabeled, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
    pretrain_steps, pretrain_lr, tau
)
SELECT
  rows.*,
  CASE WHEN method = 'simclr' THEN 'n_unlabeled * snr_star^2' ELSE 'n_labels * snr_star^q' END AS theory,
  CASE
    WHEN method = 'simclr' THEN n_unlabeled * snr_star ^ 2
    ELSE n_labels * snr_star ^ q
  END AS theory_value
FROM rows;
