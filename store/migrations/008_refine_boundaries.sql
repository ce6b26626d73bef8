-- refine: (README "Refining the boundary"). Which round added each refined cell, and the boundary found
-- per sweep and group (every coordinate but the refined axis and the seed).

-- Cells of a sweep not listed here are its grid (round 0). A round's planning reads only the rounds
-- before it, so a retried round registers the same cells whatever an earlier attempt left behind.
CREATE TABLE refine_cells (
  sweep_id text NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  cell_key text NOT NULL,
  round integer NOT NULL CHECK (round >= 1),
  PRIMARY KEY (sweep_id, cell_key)
);

-- Written after every round from the planner's output (sweep/refine-round.ts). crossing and the
-- bracket are the group's first crossing along the axis; kind flags non-monotone groups and groups
-- with no crossing (all_above / all_below: the metric's side of the threshold over the whole range).
CREATE TABLE boundaries (
  sweep_id text NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  group_key text NOT NULL,
  group_values jsonb NOT NULL,
  axis text NOT NULL,
  metric text NOT NULL,
  threshold double precision NOT NULL,
  kind text NOT NULL,
  crossing double precision,
  bracket_low double precision,
  bracket_high double precision,
  crossings integer NOT NULL,
  open_brackets integer NOT NULL,
  brackets jsonb NOT NULL,
  range_low double precision,
  range_high double precision,
  rounds integer NOT NULL,
  cells integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sweep_id, group_key)
);
