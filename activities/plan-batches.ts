import { cutBatches, type BatchRange } from '../sweep/batches.ts';
import { pendingCells } from '../store/cells.ts';
import type { PlanBatchesInput } from './contract.ts';
import type { ActivityDeps } from './deps.ts';

// The next batches of pending cells after the cursor. Only ordinals and counts go back to the workflow.
export function makePlanBatches({ pool }: ActivityDeps) {
  return async function planBatches(input: PlanBatchesInput): Promise<BatchRange[]> {
    const limit = input.batchSize * input.maxBatches;
    const cells = await pendingCells(pool, input.sweepId, input.afterOrdinal, limit);
    const batches = cutBatches(cells, input.batchSize, input.maxBatches);
    // A full page may have cut its last batch short: leave that one to the next call.
    if (cells.length === limit && batches.length > 1) batches.pop();
    return batches;
  };
}
