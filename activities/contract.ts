import type { BatchRange } from '../sweep/batches.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import type { EndStatus, FinishedStatus } from '../sweep/statuses.ts';

// Activity inputs and outputs cross the workflow boundary, so they are small like everything there:
// ordinals and counts, never cells or results (those live in Postgres).

// The store's counts when the sweep finished (done includes cached): the same figures `show` reads.
// `sweep_id`, not `sweepId` as in the inputs: this is also the result of every finished sweep workflow,
// kept in Temporal's histories, where a replaying scheduled run and `schedule trigger --wait` read it,
// and a worker of the previous release may read a new worker's result during a rolling restart. A
// rename would have to write and read both names for as long as such histories live.
export interface SweepSummary {
  sweep_id: string;
  status: FinishedStatus;
  total: number;
  done: number;
  cached: number;
  failed: number;
  pending: number;
}

export interface RegisterSweepInput {
  sweepId: string;
  spec: SweepSpec;
  scheduleId: string | null;
  workflowId: string;
}

export interface RegisterSweepOutcome {
  total: number;
  cached: number;
  // The registering worker's default heartbeat timeout (`worker --heartbeat-timeout`), if it has one:
  // it applies to every trainBatch of a sweep whose spec sets none.
  heartbeatTimeoutMs?: number;
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

export interface RefineRoundInput {
  sweepId: string;
  // The round to plan from every round before it.
  round: number;
  // False for the last call: write the boundaries, add no cells.
  register: boolean;
}

export interface OpenBracket {
  // The group's coordinates by name (method and every other grid axis).
  group: Record<string, string | number>;
  low: number;
  high: number;
}

export interface RefineRoundOutcome {
  round: number;
  // The round's cells, and how many of them were already trained (cache hits).
  added: number;
  cached: number;
  openBrackets: number;
  brackets: OpenBracket[];
}

export interface FinishSweepInput {
  sweepId: string;
  status: EndStatus;
}

// Bookkeeping activities run on the workflow's own task queue (any worker); trainBatch runs on the
// spec's resource queue (train-cpu / train-gpu).
export interface ControlActivities {
  registerSweep(input: RegisterSweepInput): Promise<RegisterSweepOutcome>;
  planBatches(input: PlanBatchesInput): Promise<BatchRange[]>;
  recordBatchFailure(input: RecordBatchFailureInput): Promise<{ failed: number }>;
  finishSweep(input: FinishSweepInput): Promise<SweepSummary>;
  // Between refinement rounds (spec `refine:`): boundaries so far, and the next round's cells.
  refineRound(input: RefineRoundInput): Promise<RefineRoundOutcome>;
  // After a scheduled sweep (workflows/scheduled-sweep-workflow.ts): drift against the schedule's previous run.
  recordScheduleDrift(input: RecordScheduleDriftInput): Promise<ScheduleDriftOutcome | null>;
  // Before a scheduled sweep with fresh seeds: its first seed (activities/fresh-seed-start.ts).
  freshSeedStart(input: { scheduleId: string }): Promise<number | null>;
}

export interface RecordScheduleDriftInput {
  sweepId: string;
  // The schedule's runs train fresh seeds: test against all earlier runs (of the baseline's version of a
  // program), not the previous one.
  freshSeeds?: boolean;
}

export interface ScheduleDriftOutcome {
  baseline_sweep_id: string;
  baseline_runs: number;
  compared: number;
  retrained: number;
  moved: number;
  // The program's code hash tonight and the baseline's (sweep/drift-baseline.ts): null for a built-in
  // method; absent in the results of runs recorded before versions were told apart.
  code_hash?: string | null;
  baseline_code_hash?: string | null;
}

export interface TrainActivities {
  trainBatch(input: TrainBatchInput): Promise<TrainBatchOutcome>;
}
