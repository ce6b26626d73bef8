-- Indexes for the queries in store/queries.ts (CLI and dashboards). Primary keys already serve:
-- results by cell key, curves by (cell key, step), failures by (sweep, cell key), sweep cells by
-- (sweep, cell key) and, through UNIQUE (sweep_id, ordinal), by (sweep, ordinal).

-- `getSweep <name>` takes the most recent sweep of that name; `list` shows the newest first.
CREATE INDEX sweeps_name_created_idx ON sweeps (name, created_at DESC);
CREATE INDEX sweeps_created_idx ON sweeps (created_at DESC);
-- Runs of one nightly schedule, newest first.
CREATE INDEX sweeps_schedule_created_idx ON sweeps (schedule_id, created_at DESC) WHERE schedule_id IS NOT NULL;

-- Throughput and drift panels read the most recent results.
CREATE INDEX results_finished_idx ON results (finished_at);
-- Results a given sweep trained itself (as opposed to cache hits), e.g. per-backend wall time.
CREATE INDEX results_sweep_idx ON results (sweep_id, finished_at) WHERE sweep_id IS NOT NULL;

-- Which sweeps contain a cell: drift comparisons of the same key across nightly runs.
CREATE INDEX sweep_cells_key_idx ON sweep_cells (cell_key);

-- Recent failures across sweeps.
CREATE INDEX failures_at_idx ON failures (at);
