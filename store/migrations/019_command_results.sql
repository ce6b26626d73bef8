-- method: command (README "Your own trainer"). A user's program names its own parameters and metrics,
-- so its cells need none of the CNN's typed coordinates, and its outcomes are kept by name.
--
-- The typed coordinates of sweep_cells and grid_point_tallies stay for the built-in methods (filters,
-- ordering, dashboards); a command cell leaves those it does not have NULL, and its `params` holds them all.
ALTER TABLE sweep_cells
  ALTER COLUMN n_labels DROP NOT NULL,
  ALTER COLUMN snr DROP NOT NULL,
  ALTER COLUMN d DROP NOT NULL,
  ALTER COLUMN m DROP NOT NULL,
  ALTER COLUMN q DROP NOT NULL,
  ALTER COLUMN p DROP NOT NULL,
  ALTER COLUMN sigma0 DROP NOT NULL,
  ALTER COLUMN sigma_p DROP NOT NULL,
  ALTER COLUMN lr DROP NOT NULL,
  ALTER COLUMN steps DROP NOT NULL,
  ALTER COLUMN n_test DROP NOT NULL;

ALTER TABLE grid_point_tallies
  ALTER COLUMN n_labels DROP NOT NULL,
  ALTER COLUMN snr DROP NOT NULL,
  ALTER COLUMN d DROP NOT NULL,
  ALTER COLUMN m DROP NOT NULL,
  ALTER COLUMN q DROP NOT NULL,
  ALTER COLUMN p DROP NOT NULL,
  ALTER COLUMN sigma0 DROP NOT NULL,
  ALTER COLUMN sigma_p DROP NOT NULL,
  ALTER COLUMN lr DROP NOT NULL,
  ALTER COLUMN steps DROP NOT NULL,
  ALTER COLUMN n_test DROP NOT NULL;

-- metrics: every metric of a command result by name (NULL for the built-in methods, whose metrics have
-- columns). code_hash: the hash of the program's code its key holds, so that `show`/`export` say which
-- version of the program made each result and drift can compare two.
ALTER TABLE results
  ADD COLUMN metrics jsonb,
  ADD COLUMN code_hash text;

-- A progress event's metrics, by name, beside the built-in curve columns.
ALTER TABLE curves ADD COLUMN metrics jsonb;

-- The last 64 KiB of a failed attempt's stdout and stderr (`phasesweep logs <sweep> <cell>`).
ALTER TABLE failures ADD COLUMN log_tail text;
