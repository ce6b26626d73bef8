import type { ControlActivities, TrainActivities } from './contract.ts';
import type { ActivityDeps } from './deps.ts';
import { makeFinishSweep } from './finish-sweep.ts';
import { makeFreshSeedStart } from './fresh-seed-start.ts';
import { makePlanBatches } from './plan-batches.ts';
import { makeRecordBatchFailure } from './record-batch-failure.ts';
import { makeRefineRound } from './refine-round.ts';
import { makeRecordScheduleDrift } from './record-schedule-drift.ts';
import { makeRegisterSweep } from './register-sweep.ts';
import { makeTrainBatch } from './train-batch.ts';
import type { TrainingThreads } from './training-threads.ts';

export type { ActivityDeps } from './deps.ts';
export type { ControlActivities, TrainActivities } from './contract.ts';
export { TrainingThreads } from './training-threads.ts';
export { CANCEL_REACH_MS } from './cancel-reach.ts';

export function createControlActivities(deps: ActivityDeps): ControlActivities {
  return {
    registerSweep: makeRegisterSweep(deps),
    planBatches: makePlanBatches(deps),
    recordBatchFailure: makeRecordBatchFailure(deps),
    finishSweep: makeFinishSweep(deps),
    refineRound: makeRefineRound(deps),
    recordScheduleDrift: makeRecordScheduleDrift(deps),
    freshSeedStart: makeFreshSeedStart(deps),
  };
}

export function createTrainActivities(deps: ActivityDeps, threads: TrainingThreads): TrainActivities {
  return { trainBatch: makeTrainBatch(deps, threads) };
}
