-- Drift records say whether anything was retrained: a nightly rerun of the same spec is all cache hits,
-- and "0 of N moved" between identical numbers hides that nothing was measured. `retrained` counts the
-- compared grid points where the run had a cell its baseline had not (NULL in records written before);
-- `baseline_runs` is how many earlier runs of the schedule the baseline pools (more than one with
-- `schedule create --fresh-seeds`, where each run adds new seeds and is tested against all earlier ones).
ALTER TABLE sweep_drift
  ADD COLUMN retrained integer,
  ADD COLUMN baseline_runs integer NOT NULL DEFAULT 1;
