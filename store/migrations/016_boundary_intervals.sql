-- The boundary as a measured object (README "Refining the boundary"). Crossings, their intervals and
-- the slope are computed in TypeScript (sweep/crossing-interval.ts, sweep/boundary-estimate.ts) from
-- stored results and stored here; Grafana reads these tables.

-- phase_boundary computed a second crossing in SQL: 0.25, falling curves and the SNR axis only, and a
-- theory column wrong at q = 1. Nothing reads it any more.
DROP VIEW phase_boundary;

-- Per group: the bootstrap interval of the crossing over seeds, the seeds resampled, the resamples
-- drawn and how many of them never crossed (counted at the grid edge they point past). Groups written
-- before this migration have no interval until their boundaries are computed again.
-- source: 'refine' for a refine: section's groups, 'sweep' for the SNR boundary every other sweep with
-- an SNR grid axis stores when it ends (for Grafana; the CLI shows refine:'s only).
ALTER TABLE boundaries
  ADD COLUMN source text NOT NULL DEFAULT 'refine' CHECK (source IN ('refine', 'sweep')),
  ADD COLUMN ci95_low double precision,
  ADD COLUMN ci95_high double precision,
  ADD COLUMN seeds integer NOT NULL DEFAULT 0,
  ADD COLUMN resamples integer NOT NULL DEFAULT 0,
  ADD COLUMN no_crossing integer NOT NULL DEFAULT 0;

-- The log-log slope of the crossing against a sample size, one row per set of groups that share every
-- other coordinate (`where_values`). ci95 is the seed bootstrap's, ols95 the t-interval over the
-- crossings; left_out lists the groups not fitted ({x, reason}: non_monotone or no_crossing).
CREATE TABLE boundary_slopes (
  sweep_id text NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  part_key text NOT NULL,
  source text NOT NULL CHECK (source IN ('refine', 'sweep')),
  where_values jsonb NOT NULL,
  axis text NOT NULL,
  x_axis text NOT NULL,
  slope double precision NOT NULL,
  ci95_low double precision,
  ci95_high double precision,
  ols95_low double precision,
  ols95_high double precision,
  groups integer NOT NULL,
  resamples integer NOT NULL,
  failed_resamples integer NOT NULL,
  left_out jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sweep_id, part_key)
);
