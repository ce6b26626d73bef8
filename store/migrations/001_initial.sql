-- The tables every other part relies on. Column names are a contract with sweep/, activities/,
-- dashboards/ and cli/: change them only in a new migration.

CREATE TABLE sweeps (
  id text PRIMARY KEY,
  name text NOT NULL,
  spec jsonb NOT NULL,
  spec_hash text NOT NULL,
  trainer_version text NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'running', 'completed', 'completed_with_failures', 'cancelled', 'failed')),
  schedule_id text,
  workflow_id text,
  tags jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  total_cells integer NOT NULL DEFAULT 0,
  cached_cells integer NOT NULL DEFAULT 0,
  done_cells integer NOT NULL DEFAULT 0,
  failed_cells integer NOT NULL DEFAULT 0
);

-- One row per distinct cell of a sweep. Grid coordinates are typed columns so that dashboards group
-- and filter without parsing JSON; n_unlabeled is NULL for methods that ignore it (supervised, noop).
-- ordinal is the cell's position in grid order: the workflow pages through pending cells by it.
CREATE TABLE sweep_cells (
  sweep_id text NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  cell_key text NOT NULL,
  ordinal integer NOT NULL,
  method text NOT NULL,
  n_labels integer NOT NULL,
  n_unlabeled integer,
  snr double precision NOT NULL,
  seed integer NOT NULL,
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
  params jsonb NOT NULL,
  PRIMARY KEY (sweep_id, cell_key),
  UNIQUE (sweep_id, ordinal)
);

-- One row per cell key, whichever sweep trained it: a key present here is a cache hit for every later
-- sweep. Metrics are NULL when the cell diverged (never a fake error of 1.0).
CREATE TABLE results (
  cell_key text PRIMARY KEY,
  test_error double precision,
  test_loss double precision,
  train_loss double precision,
  signal_alignment double precision,
  noise_memorization double precision,
  diverged boolean NOT NULL,
  steps integer NOT NULL,
  wall_ms double precision NOT NULL,
  backend text NOT NULL,
  worker_id text NOT NULL,
  trainer_version text NOT NULL,
  sweep_id text,
  finished_at timestamptz NOT NULL DEFAULT now()
);

-- A cell whose retries are exhausted, per sweep: visible, never silently missing. Failed cells are not
-- cache hits; a later sweep tries them again.
CREATE TABLE failures (
  sweep_id text NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  cell_key text NOT NULL,
  attempt integer NOT NULL,
  error text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sweep_id, cell_key)
);

CREATE TABLE curves (
  cell_key text NOT NULL,
  step integer NOT NULL,
  train_loss double precision,
  test_error double precision,
  PRIMARY KEY (cell_key, step)
);
