-- A sweep is stored when `run` starts it, before any worker has registered it: 'queued' until a worker
-- does. The list is sweep/statuses.ts' SWEEP_STATUSES (tested).
ALTER TABLE sweeps DROP CONSTRAINT sweeps_status_check;
ALTER TABLE sweeps ADD CONSTRAINT sweeps_status_check
  CHECK (status IN ('queued', 'pending', 'running', 'completed', 'completed_with_failures', 'cancelled', 'failed'));
