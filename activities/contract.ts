import type {
  BatchRange,
  FinishSweepInput,
  PlanBatchesInput,
  RecordBatchFailureInput,
  RegisterSweepInput,
  SweepSummary,
  TrainBatchInput,
  TrainBatchOutcome,
} from '../workflows/types.ts';

// Bookkeeping activities run on the workflow's own task queue (any worker); trainBatch runs on the
// spec's resource queue (train-cpu / train-gpu).
export interface ControlActivities {
  registerSweep(input: RegisterSweepInput): Promise<{ total: number; cached: number }>;
  planBatches(input: PlanBatchesInput): Promise<BatchRange[]>;
  recordBatchFailure(input: RecordBatchFailureInput): Promise<{ failed: number }>;
  finishSweep(input: FinishSweepInput): Promise<SweepSummary>;
  // After a scheduled sweep (workflows/scheduled-sweep-workflow.ts): drift against the schedule's previous run.
  recordScheduleDrift(input: {
    sweepId: string;
  }): Promise<{ baseline_sweep_id: string; compared: number; moved: number } | null>;
}

export interface TrainActivities {
  trainBatch(input: TrainBatchInput): Promise<TrainBatchOutcome>;
}
