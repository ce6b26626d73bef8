-- method: command (README "Metrics"): a program's metrics are kept by name in results.metrics (019), and
-- every reader of metrics takes any name. This migration gives them what the built-in metrics have:
--
-- grid_point_tallies.metric_stats: per grid point and metric name, the number of values, their mean and
-- their sum of squared deviations, {name: {n, mean, m2}}, kept by the same statement-level triggers and
-- merged with the same pairwise update (Chan et al.) as the typed columns of 012, with the same
-- underflow guards; a name a result reports as null counts no value. A diverged result adds to no metric.
-- grid_point_stats.metric_stats: the same per name with the standard deviation and the 95% interval
-- (tally_sd and t975, as for the typed columns), {name: {n, mean, sd, ci95_low, ci95_high}}.
-- cell_outcomes: a result's metrics by name (NULL for a diverged cell), raw, and its code hash.
--
-- The typed CNN coordinates of a command cell are NULL (019): the tallies copy them as they are, and the
-- views read a command point's coordinates from `params`.

ALTER TABLE grid_point_tallies ADD COLUMN metric_stats jsonb NOT NULL DEFAULT '{}';

-- Two summaries by name merged into one: a name in one only keeps its summary, a name in both is
-- merged as 012 merges a typed metric (a difference of means below 1e-312 moves no mean, below 1e-161
-- adds nothing to m2: what it would add is below the smallest double). Numbers go through jsonb as
-- Postgres's shortest round-trip text, so they come back as the same doubles.
CREATE FUNCTION metric_stats_merge(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(a, '{}') || coalesce(jsonb_object_agg(name, CASE
      WHEN na IS NULL OR na = 0 THEN stats
      WHEN nb = 0 THEN a -> name
      ELSE jsonb_build_object(
        'n', na + nb,
        'mean', CASE WHEN abs(mb - ma) < 1e-312 THEN ma
          ELSE ma + (mb - ma) * (nb::double precision / (na + nb)) END,
        'm2', m2a + m2b + CASE WHEN abs(mb - ma) < 1e-161 THEN 0
          ELSE (mb - ma) * ((mb - ma) * (na::double precision * nb / (na + nb))) END)
    END), '{}')
  FROM jsonb_each(coalesce(b, '{}')) e(name, stats)
  CROSS JOIN LATERAL (
    SELECT (a -> name ->> 'n')::integer AS na, (a -> name ->> 'mean')::double precision AS ma,
      (a -> name ->> 'm2')::double precision AS m2a, (stats ->> 'n')::integer AS nb,
      (stats ->> 'mean')::double precision AS mb, (stats ->> 'm2')::double precision AS m2b
  ) s
$$;

-- Per name: count, mean, sample standard deviation and 95% t interval, as grid_point_stats gives them
-- for a typed metric (NULL where undefined: below two values, or no value at all).
CREATE FUNCTION metric_summaries(stats jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(name, jsonb_build_object(
      'n', n, 'mean', mean, 'sd', sd,
      'ci95_low', mean - t975(n - 1) * sd / sqrt(n),
      'ci95_high', mean + t975(n - 1) * sd / sqrt(n))), '{}')
  FROM jsonb_each(coalesce(stats, '{}')) e(name, s)
  CROSS JOIN LATERAL (
    SELECT (s ->> 'n')::integer AS n, (s ->> 'mean')::double precision AS mean,
      tally_sd((s ->> 'n')::integer, (s ->> 'm2')::double precision) AS sd
  ) x
$$;

-- 015's tally statement, which also summarises each result's metrics by name (named, named_points) and
-- merges them into metric_stats.
CREATE OR REPLACE FUNCTION tally_sql(outcomes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
  WITH metrics(name) AS (
    VALUES ('test_error'), ('test_loss'), ('train_loss'), ('signal_alignment'), ('noise_memorization'),
      ('best_test_error'), ('signal_learning'), ('pretrain_alignment'), ('best_step'), ('probe_alignment'),
      ('linear_probe_error'), ('head_change')
  ), typed(name) AS (
    VALUES ('method'), ('n_labels'), ('n_unlabeled'), ('snr'), ('d'), ('m'), ('q'), ('p'), ('sigma0'),
      ('sigma_p'), ('lr'), ('steps'), ('n_test'), ('pretrain_steps'), ('pretrain_lr'), ('tau')
  ), counted(name) AS (
    VALUES ('cells'), ('seeds'), ('cached'), ('diverged'), ('failed')
  )
  SELECT format($q$
    WITH o AS (%1$s),
    deltas AS (
      SELECT o.sweep_id, o.point_key, any_value(o.cell_key) AS some_cell,
        min(o.ordinal) AS first_ordinal,
        sum(o.cells)::integer AS cells,
        count((o.r).cell_key)::integer AS seeds,
        (count((o.r).cell_key) FILTER (WHERE (o.r).sweep_id IS DISTINCT FROM o.sweep_id))::integer AS cached,
        (count(*) FILTER (WHERE (o.r).diverged))::integer AS diverged,
        coalesce(sum(o.failed), 0)::integer AS failed,
        %2$s
      FROM o
      GROUP BY o.sweep_id, o.point_key
    ), named AS (
      SELECT o.sweep_id, o.point_key, e.key AS name,
        count(v.value)::integer AS n, avg(v.value) AS mean,
        coalesce(var_pop(v.value) * count(v.value), 0) AS m2
      FROM o
      CROSS JOIN LATERAL jsonb_each((o.r).metrics) e
      CROSS JOIN LATERAL (
        SELECT CASE WHEN jsonb_typeof(e.value) = 'number' THEN e.value::double precision END AS value
      ) v
      WHERE NOT (o.r).diverged
      GROUP BY o.sweep_id, o.point_key, e.key
    ), named_points AS (
      SELECT sweep_id, point_key,
        jsonb_object_agg(name, jsonb_build_object('n', n, 'mean', mean, 'm2', m2)) AS metric_stats
      FROM named
      GROUP BY sweep_id, point_key
    ), points AS (
      INSERT INTO grid_point_tallies AS t (sweep_id, point_key, params, metric_stats, %3$s)
      SELECT deltas.sweep_id, deltas.point_key, c.params - 'seed', coalesce(np.metric_stats, '{}'), %4$s
      FROM deltas
      LEFT JOIN named_points np ON np.sweep_id = deltas.sweep_id AND np.point_key = deltas.point_key
      JOIN LATERAL (
        SELECT * FROM sweep_cells c WHERE c.sweep_id = deltas.sweep_id AND c.cell_key = deltas.some_cell OFFSET 0
      ) c ON true
      ORDER BY deltas.sweep_id, deltas.point_key
      ON CONFLICT (sweep_id, point_key) DO UPDATE SET %5$s
    )
    INSERT INTO sweep_tallies AS t (sweep_id, total, done, cached, failed)
    SELECT sweep_id, sum(cells), sum(seeds), sum(cached), sum(failed) FROM deltas
    GROUP BY sweep_id ORDER BY sweep_id
    ON CONFLICT (sweep_id) DO UPDATE SET total = t.total + excluded.total, done = t.done + excluded.done,
      cached = t.cached + excluded.cached, failed = t.failed + excluded.failed
    $q$,
    outcomes,
    (SELECT string_agg(format(
      '(count((o.r).%1$I) FILTER (WHERE NOT (o.r).diverged))::integer AS %2$I, '
      'avg((o.r).%1$I) FILTER (WHERE NOT (o.r).diverged) AS %3$I, '
      'coalesce(var_pop((o.r).%1$I) FILTER (WHERE NOT (o.r).diverged) '
      '* count((o.r).%1$I) FILTER (WHERE NOT (o.r).diverged), 0) AS %4$I',
      name, 'n_' || name, 'mean_' || name, 'm2_' || name), ', ') FROM metrics),
    (SELECT string_agg(format('%I', name), ', ') FROM (
      SELECT name FROM typed UNION ALL SELECT 'first_ordinal' UNION ALL SELECT name FROM counted
      UNION ALL SELECT prefix || name FROM metrics, unnest(ARRAY['n_', 'mean_', 'm2_']) AS prefix
    ) s),
    (SELECT string_agg(col, ', ') FROM (
      SELECT format('c.%I', name) AS col FROM typed UNION ALL SELECT 'deltas.first_ordinal'
      UNION ALL SELECT format('deltas.%I', name) FROM counted
      UNION ALL SELECT format('deltas.%I', prefix || name) FROM metrics, unnest(ARRAY['n_', 'mean_', 'm2_']) AS prefix
    ) s),
    (SELECT string_agg(assignment, ', ') FROM (
      SELECT 'first_ordinal = least(t.first_ordinal, excluded.first_ordinal)' AS assignment
      UNION ALL SELECT 'metric_stats = metric_stats_merge(t.metric_stats, excluded.metric_stats)'
      UNION ALL SELECT format('%1$I = t.%1$I + excluded.%1$I', name) FROM counted
      UNION ALL SELECT format(
        '%1$I = t.%1$I + excluded.%1$I, '
        '%2$I = CASE WHEN excluded.%1$I = 0 THEN t.%2$I WHEN t.%1$I = 0 THEN excluded.%2$I '
        'WHEN abs(excluded.%2$I - t.%2$I) < 1e-312 THEN t.%2$I '
        'ELSE t.%2$I + (excluded.%2$I - t.%2$I) * (excluded.%1$I::double precision / (t.%1$I + excluded.%1$I)) END, '
        '%3$I = t.%3$I + excluded.%3$I + CASE WHEN t.%1$I = 0 OR excluded.%1$I = 0 '
        'OR abs(excluded.%2$I - t.%2$I) < 1e-161 THEN 0 '
        'ELSE (excluded.%2$I - t.%2$I) '
        '* ((excluded.%2$I - t.%2$I) * (t.%1$I::double precision * excluded.%1$I / (t.%1$I + excluded.%1$I))) END',
        'n_' || name, 'mean_' || name, 'm2_' || name) FROM metrics
    ) s)
  )
$f$;

-- 015's cell_outcomes with a result's metrics by name and its code hash appended.
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
  r.cell_key IS NOT NULL AND r.sweep_id IS DISTINCT FROM c.sweep_id AS cached,
  CASE WHEN NOT r.diverged THEN r.best_step END AS best_step,
  CASE WHEN NOT r.diverged THEN r.probe_alignment END AS probe_alignment,
  CASE WHEN NOT r.diverged THEN r.linear_probe_error END AS linear_probe_error,
  CASE WHEN NOT r.diverged THEN r.head_change END AS head_change,
  r.best_step AS raw_best_step,
  r.probe_alignment AS raw_probe_alignment,
  r.linear_probe_error AS raw_linear_probe_error,
  r.head_change AS raw_head_change,
  CASE WHEN NOT r.diverged THEN r.metrics END AS metrics,
  r.metrics AS raw_metrics,
  r.code_hash
FROM sweep_cells c
LEFT JOIN LATERAL (SELECT * FROM results WHERE results.cell_key = c.cell_key OFFSET 0) r ON true
LEFT JOIN LATERAL (
  SELECT * FROM failures WHERE failures.sweep_id = c.sweep_id AND failures.cell_key = c.cell_key OFFSET 0
) f ON true;

-- 015's grid_point_stats with the summaries by name appended (its columns keep their names, types and
-- order, so it is replaced in place).
CREATE OR REPLACE VIEW grid_point_stats AS
WITH sums AS (
  SELECT
    sweep_id, point_key, params,
    method, n_labels, n_unlabeled, snr, d, m, q, p, sigma0, sigma_p, lr, steps, n_test,
    pretrain_steps, pretrain_lr, tau,
    cells, seeds, diverged, failed, first_ordinal,
    n_test_error AS n,
    mean_test_error,
    tally_sd(n_test_error, m2_test_error) AS sd_test_error,
    n_test_loss,
    mean_test_loss,
    tally_sd(n_test_loss, m2_test_loss) AS sd_test_loss,
    n_train_loss,
    mean_train_loss,
    tally_sd(n_train_loss, m2_train_loss) AS sd_train_loss,
    n_signal_alignment,
    mean_signal_alignment,
    tally_sd(n_signal_alignment, m2_signal_alignment) AS sd_signal_alignment,
    n_noise_memorization,
    mean_noise_memorization,
    tally_sd(n_noise_memorization, m2_noise_memorization) AS sd_noise_memorization,
    n_best_test_error,
    mean_best_test_error,
    tally_sd(n_best_test_error, m2_best_test_error) AS sd_best_test_error,
    n_signal_learning,
    mean_signal_learning,
    tally_sd(n_signal_learning, m2_signal_learning) AS sd_signal_learning,
    n_pretrain_alignment,
    mean_pretrain_alignment,
    tally_sd(n_pretrain_alignment, m2_pretrain_alignment) AS sd_pretrain_alignment,
    n_best_step,
    mean_best_step,
    tally_sd(n_best_step, m2_best_step) AS sd_best_step,
    n_probe_alignment,
    mean_probe_alignment,
    tally_sd(n_probe_alignment, m2_probe_alignment) AS sd_probe_alignment,
    n_linear_probe_error,
    mean_linear_probe_error,
    tally_sd(n_linear_probe_error, m2_linear_probe_error) AS sd_linear_probe_error,
    n_head_change,
    mean_head_change,
    tally_sd(n_head_change, m2_head_change) AS sd_head_change,
    metric_summaries(metric_stats) AS metric_stats
  FROM grid_point_tallies
)
SELECT
  sweep_id, point_key, params, method, n_labels, n_unlabeled, snr, d, m, q, p, sigma0, sigma_p, lr,
  steps, n_test, pretrain_steps, pretrain_lr, tau, cells, seeds, diverged, failed, first_ordinal,
  n, mean_test_error, sd_test_error,
  n_test_loss, mean_test_loss, sd_test_loss,
  n_train_loss, mean_train_loss, sd_train_loss,
  n_signal_alignment, mean_signal_alignment, sd_signal_alignment,
  n_noise_memorization, mean_noise_memorization, sd_noise_memorization,
  n_best_test_error, mean_best_test_error, sd_best_test_error,
  n_signal_learning, mean_signal_learning, sd_signal_learning,
  n_pretrain_alignment, mean_pretrain_alignment, sd_pretrain_alignment,
  mean_test_error - t975(n - 1) * sd_test_error / sqrt(n)
    AS ci95_low,
  mean_test_error + t975(n - 1) * sd_test_error / sqrt(n)
    AS ci95_high,
  mean_test_loss - t975(n_test_loss - 1) * sd_test_loss / sqrt(n_test_loss)
    AS ci95_low_test_loss,
  mean_test_loss + t975(n_test_loss - 1) * sd_test_loss / sqrt(n_test_loss)
    AS ci95_high_test_loss,
  mean_train_loss - t975(n_train_loss - 1) * sd_train_loss / sqrt(n_train_loss)
    AS ci95_low_train_loss,
  mean_train_loss + t975(n_train_loss - 1) * sd_train_loss / sqrt(n_train_loss)
    AS ci95_high_train_loss,
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
    AS ci95_high_pretrain_alignment,
  n_best_step,
  mean_best_step,
  sd_best_step,
  mean_best_step - t975(n_best_step - 1) * sd_best_step / sqrt(n_best_step)
    AS ci95_low_best_step,
  mean_best_step + t975(n_best_step - 1) * sd_best_step / sqrt(n_best_step)
    AS ci95_high_best_step,
  n_probe_alignment,
  mean_probe_alignment,
  sd_probe_alignment,
  mean_probe_alignment - t975(n_probe_alignment - 1) * sd_probe_alignment / sqrt(n_probe_alignment)
    AS ci95_low_probe_alignment,
  mean_probe_alignment + t975(n_probe_alignment - 1) * sd_probe_alignment / sqrt(n_probe_alignment)
    AS ci95_high_probe_alignment,
  n_linear_probe_error,
  mean_linear_probe_error,
  sd_linear_probe_error,
  mean_linear_probe_error - t975(n_linear_probe_error - 1) * sd_linear_probe_error / sqrt(n_linear_probe_error)
    AS ci95_low_linear_probe_error,
  mean_linear_probe_error + t975(n_linear_probe_error - 1) * sd_linear_probe_error / sqrt(n_linear_probe_error)
    AS ci95_high_linear_probe_error,
  n_head_change,
  mean_head_change,
  sd_head_change,
  mean_head_change - t975(n_head_change - 1) * sd_head_change / sqrt(n_head_change)
    AS ci95_low_head_change,
  mean_head_change + t975(n_head_change - 1) * sd_head_change / sqrt(n_head_change)
    AS ci95_high_head_change,
  metric_stats
FROM sums;

-- The summaries by name recounted from the cells themselves, in one pass (avg and var_pop over every
-- value): the tests compare the tally with it, and it fills the tallies of results stored before.
CREATE FUNCTION metric_stats_recount(p_sweep_id text)
RETURNS TABLE (point_key text, metric_stats jsonb)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT point_key, jsonb_object_agg(name, jsonb_build_object('n', n, 'mean', mean, 'm2', m2))
  FROM (
    SELECT o.point_key, e.key AS name, count(v.value)::integer AS n, avg(v.value) AS mean,
      coalesce(var_pop(v.value) * count(v.value), 0) AS m2
    FROM cell_outcomes o
    CROSS JOIN LATERAL jsonb_each(o.metrics) e
    CROSS JOIN LATERAL (
      SELECT CASE WHEN jsonb_typeof(e.value) = 'number' THEN e.value::double precision END AS value
    ) v
    WHERE o.sweep_id = p_sweep_id
    GROUP BY o.point_key, e.key
  ) named
  GROUP BY point_key
$$;

-- Results stored before this migration with metrics by name, with writers held off (as 012's backfill).
LOCK TABLE sweeps, sweep_cells, results, failures IN SHARE MODE;
UPDATE grid_point_tallies t
SET metric_stats = s.metric_stats
FROM (
  SELECT DISTINCT c.sweep_id FROM sweep_cells c JOIN results r ON r.cell_key = c.cell_key
  WHERE r.metrics IS NOT NULL
) swept
CROSS JOIN LATERAL metric_stats_recount(swept.sweep_id) s
WHERE t.sweep_id = swept.sweep_id AND t.point_key = s.point_key;
