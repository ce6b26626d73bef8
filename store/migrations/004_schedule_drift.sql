-- Drift of a sweep against a baseline sweep (for scheduled sweeps: the previous finished run of the same
-- schedule): how many grid points were compared and the ones whose mean test error moved beyond the
-- 95% confidence intervals, as JSON rows (see cli/views/drift.ts). One record per sweep.
CREATE TABLE sweep_drift (
  sweep_id text PRIMARY KEY REFERENCES sweeps (id) ON DELETE CASCADE,
  baseline_sweep_id text NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  schedule_id text,
  compared integer NOT NULL,
  moved integer NOT NULL,
  points jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sweep_drift_schedule_idx ON sweep_drift (schedule_id, recorded_at DESC);
