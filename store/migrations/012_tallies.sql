-- Counts and grid-point sums kept up to date as rows arrive, instead of recomputed from every cell of a
-- sweep at each read. At 100,000 results, counting 50 sweeps for `ls` probed 250,000 results and
-- failures (400 ms), and every per-sweep summary probed each of its ~5,000 cells (bench/RESULTS.md).
--
-- sweep_tallies: a sweep's total, done (with cached), cached and failed; pending is what is left.
-- grid_point_tallies: per sweep and grid point (point_key, 010), its counts and, per result metric, the
-- number of values, their mean and their sum of squared deviations (m2), which give the standard
-- deviation. These agree with avg and stddev_samp over the point's cells to rounding: the mean to about
-- 1e-15 relative, the deviation to about 1e-15 of the mean (test/integration/store-tallies.test.ts);
-- the last bits depend on how results were batched, as stddev_samp's depend on the order of rows.
--
-- One statement-level trigger per table adds what each INSERT changes (sweep_cells, results, failures
-- are append-only: no code path deletes or updates their rows; `verify` recounts to prove it).
-- A cell registered by one transaction while another writes its result (or its failure) must be counted
-- by exactly one of them. Each trigger therefore first takes one transaction-level advisory lock, then
-- reads with a fresh snapshot: whichever transaction takes the lock second sees the other's committed
-- rows and counts the pair. Holding it until commit serialises only the triggers and commits of these
-- inserts, never the row writes, and as the only lock taken before any tally row it cannot deadlock.

CREATE TABLE sweep_tallies (
  sweep_id text PRIMARY KEY REFERENCES sweeps (id) ON DELETE CASCADE,
  total integer NOT NULL,
  done integer NOT NULL,
  cached integer NOT NULL,
  failed integer NOT NULL
);

-- Every sweep has its row from the moment it is created, zero until cells arrive.
CREATE FUNCTION tally_new_sweep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sweep_tallies (sweep_id, total, done, cached, failed) VALUES (NEW.id, 0, 0, 0, 0)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER sweeps_tally AFTER INSERT ON sweeps FOR EACH ROW EXECUTE FUNCTION tally_new_sweep();

CREATE TABLE grid_point_tallies (
  sweep_id text NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  point_key text NOT NULL,
  params jsonb NOT NULL,
  method text NOT NULL,
  n_labels integer NOT NULL,
  n_unlabeled integer,
  snr double precision NOT NULL,
  d integer NOT NULL,
  m integer NOT NULL,
  q double precision NOT NULL,
  p double precision NOT NULL,
  sigma0 double precision NOT NULL,
  sigma_p double precision NOT NULL,
  lr double precision NOT NULL,
  steps integer NOT NULL,
  n_test integer NOT NULL,
  pretrain_steps integer,
  pretrain_lr double precision,
  tau double precision,
  first_ordinal integer NOT NULL,
  cells integer NOT NULL,
  seeds integer NOT NULL,
  cached integer NOT NULL,
  diverged integer NOT NULL,
  failed integer NOT NULL,
  n_test_error integer NOT NULL, mean_test_error double precision, m2_test_error double precision NOT NULL,
  n_test_loss integer NOT NULL, mean_test_loss double precision, m2_test_loss double precision NOT NULL,
  n_train_loss integer NOT NULL, mean_train_loss double precision, m2_train_loss double precision NOT NULL,
  n_signal_alignment integer NOT NULL, mean_signal_alignment double precision,
  m2_signal_alignment double precision NOT NULL,
  n_noise_memorization integer NOT NULL, mean_noise_memorization double precision,
  m2_noise_memorization double precision NOT NULL,
  n_best_test_error integer NOT NULL, mean_best_test_error double precision,
  m2_best_test_error double precision NOT NULL,
  n_signal_learning integer NOT NULL, mean_signal_learning double precision,
  m2_signal_learning double precision NOT NULL,
  n_pretrain_alignment integer NOT NULL, mean_pretrain_alignment double precision,
  m2_pretrain_alignment double precision NOT NULL,
  PRIMARY KEY (sweep_id, point_key)
);

-- The statement that adds a set of cell outcomes to both tallies. `outcomes` is a query with one row
-- per (cell, change): sweep_id, point_key, cell_key, ordinal, cells (+1 when the cell itself is new),
-- failed (its change to the failed count) and r (the cell's results row, or NULL). Per point, the
-- statement's values are summarised by Postgres's own avg and var_pop, then merged into the stored
-- summary with Chan et al.'s pairwise update, which, unlike sums of squares, loses nothing to
-- cancellation: identical values keep a deviation of exactly 0. Postgres raises an error, rather than
-- rounding to 0, when a product of doubles underflows (a training loss can be 1e-300), so a difference
-- of means below 1e-312 moves no mean and one below 1e-161 adds nothing to m2: what they would add is
-- below the smallest double, which C arithmetic (and stddev_samp) rounds to 0 silently. A new point's
-- coordinates are read from
-- one of its cells. Tally rows are written in key order, so writers of the same rows queue, never
-- deadlock.
CREATE FUNCTION tally_sql(outcomes text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
  WITH metrics(name) AS (
    VALUES ('test_error'), ('test_loss'), ('train_loss'), ('signal_alignment'), ('noise_memorization'),
      ('best_test_error'), ('signal_learning'), ('pretrain_alignment')
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
    ), points AS (
      INSERT INTO grid_point_tallies AS t (sweep_id, point_key, params, %3$s)
      SELECT deltas.sweep_id, deltas.point_key, c.params - 'seed', %4$s
      FROM deltas
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

-- What an INSERT into each table changes. A new cell adds its whole outcome; a new result makes each of
-- its cells done (and no longer failed); a new failure marks its cell failed unless it has a result.
-- Only rows actually inserted are in new_rows: ON CONFLICT DO NOTHING skips and DO UPDATE (a failure's
-- later attempt) changes nothing counted. Each cell, result or failure is one index probe (LATERAL with
-- OFFSET 0, as in cell_outcomes), so the work follows the statement's rows, not the store's size.
CREATE FUNCTION tally_inserted_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('phasesweep:tallies', 0));
  EXECUTE tally_sql(CASE TG_TABLE_NAME
    WHEN 'sweep_cells' THEN $o$
      SELECT c.sweep_id, c.point_key, c.cell_key, c.ordinal, 1 AS cells,
        (f.found AND (x.r).cell_key IS NULL)::integer AS failed, x.r
      FROM new_rows c
      LEFT JOIN LATERAL (SELECT r FROM results r WHERE r.cell_key = c.cell_key OFFSET 0) x ON true
      LEFT JOIN LATERAL (
        SELECT true AS found FROM failures f WHERE f.sweep_id = c.sweep_id AND f.cell_key = c.cell_key OFFSET 0
      ) f ON true $o$
    WHEN 'results' THEN $o$
      SELECT c.sweep_id, c.point_key, c.cell_key, c.ordinal, 0 AS cells, -(f.found)::integer AS failed, r
      FROM new_rows r
      JOIN LATERAL (
        SELECT sweep_id, point_key, cell_key, ordinal FROM sweep_cells c WHERE c.cell_key = r.cell_key OFFSET 0
      ) c ON true
      LEFT JOIN LATERAL (
        SELECT true AS found FROM failures f WHERE f.sweep_id = c.sweep_id AND f.cell_key = c.cell_key OFFSET 0
      ) f ON true $o$
    WHEN 'failures' THEN $o$
      SELECT c.sweep_id, c.point_key, c.cell_key, c.ordinal, 0 AS cells, 1 AS failed, NULL::results AS r
      FROM new_rows f
      JOIN LATERAL (
        SELECT sweep_id, point_key, cell_key, ordinal FROM sweep_cells c
        WHERE c.sweep_id = f.sweep_id AND c.cell_key = f.cell_key OFFSET 0
      ) c ON true
      WHERE NOT EXISTS (SELECT FROM results r WHERE r.cell_key = f.cell_key) $o$
  END);
  RETURN NULL;
END
$$;

CREATE TRIGGER sweep_cells_tally AFTER INSERT ON sweep_cells
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_inserted_rows();
CREATE TRIGGER results_tally AFTER INSERT ON results
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_inserted_rows();
CREATE TRIGGER failures_tally AFTER INSERT ON failures
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_inserted_rows();

-- The rows so far, with writers held off until this migration commits (the triggers exist from now on
-- for this transaction, and from its commit for everyone else).
LOCK TABLE sweeps, sweep_cells, results, failures IN SHARE MODE;
INSERT INTO sweep_tallies (sweep_id, total, done, cached, failed) SELECT id, 0, 0, 0, 0 FROM sweeps;
DO $$
BEGIN
  EXECUTE tally_sql($o$
    SELECT c.sweep_id, c.point_key, c.cell_key, c.ordinal, 1 AS cells,
      (f.cell_key IS NOT NULL AND r.cell_key IS NULL)::integer AS failed, CASE WHEN r.cell_key IS NOT NULL THEN r END AS r
    FROM sweep_cells c
    LEFT JOIN results r ON r.cell_key = c.cell_key
    LEFT JOIN failures f ON f.sweep_id = c.sweep_id AND f.cell_key = c.cell_key $o$);
END
$$;

-- 009's count from the cells themselves, kept under a new name: `verify` compares it with the tally.
ALTER FUNCTION sweep_counts(text) RENAME TO sweep_recount;

-- The one definition of a sweep's counts that every reader calls (CLI, workers, Grafana), now a lookup.
-- No tally row (not a sweep) reads all zeros, as a count over no cells did.
CREATE FUNCTION sweep_counts(p_sweep_id text)
RETURNS TABLE (total integer, done integer, cached integer, failed integer, pending integer)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(t.total, 0), coalesce(t.done, 0), coalesce(t.cached, 0), coalesce(t.failed, 0),
    coalesce(t.total - t.done - t.failed, 0)
  FROM (SELECT) one
  LEFT JOIN sweep_tallies t ON t.sweep_id = p_sweep_id
$$;

-- The sample standard deviation from a count and a sum of squared deviations (NULL below two values,
-- as stddev_samp). The square root comes first: m2 / (n - 1) can underflow, which Postgres refuses.
CREATE FUNCTION tally_sd(n integer, m2 double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN n >= 2 THEN sqrt(greatest(m2, 0)) / sqrt(n - 1) END
$$;

-- grid_point_stats as 011 left it, read from the tallies. Its columns keep their names, types and order,
-- so it is replaced in place and phase_boundary, built on it, stays as it is.
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
    tally_sd(n_pretrain_alignment, m2_pretrain_alignment) AS sd_pretrain_alignment
  FROM grid_point_tallies
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
