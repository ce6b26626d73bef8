-- Two corrections to 010, measured with `npm run bench:store -- --baseline` against the schema of 009
-- (bench/RESULTS.md, "Grid points by point_key"):
-- - 010's wide covering index made sweep_counts and sweep_results slower, not faster (server time
--   1.58x and 1.48x of 009's): 006's narrower index comes back.
-- - grid_point_stats took the seed out of every cell's params before picking one per point; it now
--   picks first, one jsonb operation per point instead of one per cell.
CREATE INDEX results_key_test_error_idx ON results (cell_key) INCLUDE (diverged, test_error);
DROP INDEX results_key_outcome_idx;

DROP VIEW phase_boundary;
DROP VIEW grid_point_stats;

-- Per sweep and grid point: counts, and per metric n, mean, sample standard deviation and 95% t
-- confidence interval (NULL below two values). Test error's columns carry no suffix (n, ci95_low, ...).
CREATE VIEW grid_point_stats AS
WITH sums AS (
  SELECT
    sweep_id, point_key, any_value(params) - 'seed' AS params,
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
