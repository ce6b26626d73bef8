import type { SweepSpec } from '../sweep/spec.ts';

// Everything that crosses the workflow boundary is small: ordinals and counts, never cells or
// results (those live in Postgres), so history stays far below Temporal's limits at any grid size.

export interface SweepWorkflowInput {
  spec: SweepSpec;
  // Given by `phasesweep run`; a scheduled start has none and the workflow derives one (ids.ts).
  sweepId?: string;
  scheduleId?: string | null;
  // Lower than Temporal's own suggestion only in tests, to exercise continue-as-new on small grids.
  continueAsNewAfterBatches?: number;
  // How long a trainBatch may go without a heartbeat before Temporal retries it elsewhere.
  heartbeatTimeoutMs?: number;
  // Set by the workflow itself when it continues as new: where the previous run stopped.
  carry?: SweepCarry;
}

export interface SweepCarry {
  // Every pending cell with ordinal <= cursor has been handed to a finished trainBatch.
  cursor: number;
  total: number;
  cached: number;
  done: number;
  failed: number;
  startedAtMs: number;
  runs: number;
}

export type SweepStatus =
  'registering' | 'running' | 'completed' | 'completed_with_failures' | 'cancelled' | 'failed';

export interface SweepProgress {
  sweep_id: string;
  status: SweepStatus;
  total: number;
  done: number;
  cached: number;
  failed: number;
  running: number;
  // Cells per second trained by this sweep since it started; null until something finished.
  rate: number | null;
  eta_s: number | null;
  runs: number;
}

export interface SweepSummary {
  sweep_id: string;
  status: 'completed' | 'completed_with_failures' | 'cancelled' | 'failed';
  total: number;
  cached: number;
  done: number;
  failed: number;
}

// A contiguous ordinal range of one cell shape; `cells` is how many of them were pending when planned.
export interface BatchRange {
  fromOrdinal: number;
  toOrdinal: number;
  cells: number;
}

export interface RegisterSweepInput {
  sweepId: string;
  spec: SweepSpec;
  scheduleId: string | null;
  workflowId: string;
}

export interface PlanBatchesInput {
  sweepId: string;
  afterOrdinal: number;
  batchSize: number;
  maxBatches: number;
}

export interface TrainBatchInput {
  sweepId: string;
  fromOrdinal: number;
  toOrdinal: number;
  // The retry policy's limit, so that the last attempt records its failing cells instead of throwing.
  maxAttempts: number;
}

// Cells of the range not counted here were stored before this attempt looked (an earlier attempt,
// another sweep): they are done too.
export interface TrainBatchOutcome {
  trained: number;
  diverged: number;
  failed: number;
}

export interface RecordBatchFailureInput {
  sweepId: string;
  fromOrdinal: number;
  toOrdinal: number;
  attempts: number;
  error: string;
}

export interface FinishSweepInput {
  sweepId: string;
  status: 'completed' | 'cancelled' | 'failed';
  cached: number;
}
