-- Aggregates over seeds per sweep and grid point, and the phase boundary per grid row. Views, so that
-- Grafana and the CLI share one definition; a filter on sweep_id is pushed down into them.

-- Two-sided 95% quantile of Student's t with df degrees of freedom: exact table values up to 30, then
-- the Cornish-Fisher expansion around z = 1.959964 (error below 1e-5 from df = 31 on).
CREATE FUNCTION t975(df integer) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN df < 1 THEN NULL
    WHEN df <= 30 THEN (ARRAY[
      12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
      2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
      2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272
    ]::double precision[])[df]
    ELSE 1.959964
      + (1.959964 ^ 3 + 1.959964) / (4.0 * df)
      + (5 * 1.959964 ^ 5 + 16 * 1.959964 ^ 3 + 3 * 1.959964) / (96.0 * df ^ 2)
      + (3 * 1.959964 ^ 7 + 19 * 1.959964 ^ 5 + 17 * 1.959964 ^ 3 - 15 * 1.959964) / (384.0 * df ^ 3)
  END
$$;

-- One row per cell of a sweep with its outcome. Diverged cells keep their row (they are counted) but
-- contribute no metric values.
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
  CASE WHEN NOT r.diverged THEN r.noise_memorization END AS noise_memorization
FROM sweep_cells c
LEFT JOIN results r ON r.cell_key = c.cell_key
LEFT JOIN failures f ON f.sweep_id = c.sweep_id AND f.cell_key = c.cell_key;

-- Per sweep and grid point (every coordinate but the seed): counts, and per metric n, mean, sample
-- standard deviation and 95% t confidence interval (NULL below two values).
CREATE VIEW grid_point_stats AS
WITH sums AS (
  SELECT
    sweep_id, method, n_labels, n_unlabeled, snr, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
    pretrain_steps, pretrain_lr, tau,
    count(*)::integer AS cells,
    count(*) FILTER (WHERE has_result)::integer AS seeds,
    count(*) FILTER (WHERE diverged)::integer AS diverged,
    count(*) FILTER (WHERE failed)::integer AS failed,
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
    stddev_samp(noise_memorization) AS sd_noise_memorization
  FROM cell_outcomes
  GROUP BY sweep_id, method, n_labels, n_unlabeled, snr, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
    pretrain_steps, pretrain_lr, tau
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
    AS ci95_high_noise_memorization
FROM sums;

-- The phase boundary per grid row (every coordinate but SNR and seed): the SNR at which the mean test
-- error first falls through 0.25 going up in SNR, linearly interpolated in log SNR between the two grid
-- points that bracket it. NULL when the row never crosses (all below: boundary under the grid; all
-- above: over it). Theory comparison: n * SNR*^q with n = n_labels for direct training ([CAO22]); for
-- SimCLR the pre-training rate n_0 * SNR*^2 ([ZC24] Thm 4.2).
CREATE VIEW phase_boundary AS
WITH pts AS (
  SELECT
    sweep_id, method, n_labels, n_unlabeled, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
    pretrain_steps, pretrain_lr, tau, snr, mean_test_error AS e,
    lead(snr) OVER w AS snr_next,
    lead(mean_test_error) OVER w AS e_next
  FROM grid_point_stats
  WHERE mean_test_error IS NOT NULL AND snr > 0
  WINDOW w AS (
    PARTITION BY sweep_id, method, n_labels, n_unlabeled, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
      pretrain_steps, pretrain_lr, tau
    ORDER BY snr
  )
), rows AS (
  SELECT
    sweep_id, method, n_labels, n_unlabeled, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
    pretrain_steps, pretrain_lr, tau,
    count(*)::integer AS points,
    min(snr) AS snr_min,
    max(snr) AS snr_max,
    (array_agg(
      exp(ln(snr) + (0.25 - e) / (e_next - e) * (ln(snr_next) - ln(snr)))
      ORDER BY snr
    ) FILTER (WHERE e >= 0.25 AND e_next < 0.25))[1] AS snr_star
  FROM pts
  GROUP BY sweep_id, method, n_labels, n_unlabeled, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
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
