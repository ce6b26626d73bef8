import type { SweepSpec } from '../sweep/spec.ts';
import type { OpenBracket } from '../activities/contract.ts';
import type { ProgressStatus } from '../sweep/statuses.ts';

// Everything that crosses the workflow boundary is small: ordinals and counts, never cells or
// results (those live in Postgres), so history stays far below Temporal's limits at any grid size.

export interface SweepWorkflowInput {
  spec: SweepSpec;
  // Given by `phasesweep run`; a scheduled start has none and the workflow derives one (ids.ts).
  sweepId?: string;
  scheduleId?: string | null;
  // Lower than Temporal's own suggestion only in tests, to exercise continue-as-new on small grids.
  continueAsNewAfterBatches?: number;
  // How long a trainBatch may go without a heartbeat before Temporal retries it elsewhere. Given by
  // tests, or carried by continue-as-new; else the spec's, else the registering worker's, else 60 s.
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
  refine?: RefineProgress;
}

// The answer to the progress query. The counts mean what the store's sweep_counts means (done includes
// cached); `phasesweep watch` shows the store's own figures and takes only status, running and rate from
// here. The asker knows which sweep it asked about, so the answer does not repeat the sweep's id. Field
// names are snake_case because `watch --json` prints them (cli/live-progress.ts).
export interface SweepProgress {
  status: ProgressStatus;
  total: number;
  done: number;
  cached: number;
  failed: number;
  pending: number;
  running: number;
  // Cells per second trained by this sweep since it started; null until something finished.
  rate: number | null;
  eta_s: number | null;
  runs: number;
  // Only for a spec with refine: where the bisection stands.
  refine: RefineProgress | null;
}

export interface RefineProgress {
  // 0 while the grid trains, then the refinement round whose cells train.
  round: number;
  max_rounds: number;
  open_brackets: number;
  // At most a few, for display; open_brackets counts them all.
  brackets: OpenBracket[];
  // Cells registered per round, the grid first.
  cells_per_round: number[];
}
