import { shapeKey } from '../sweep/batches.ts';
import { batchKey } from '../trainer/index.ts';
import { pendingCells, type StoredCell } from '../store/cells.ts';
import type { BatchRange, PlanBatchesInput } from './contract.ts';
import type { ActivityDeps } from './deps.ts';

// The next batches of pending cells after the cursor: runs of one shape, at most batchSize cells each.
// Only ordinals and counts go back to the workflow.
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

// When a page holds fewer batches than the window could run (a small sweep, or the tail of a large
// one), batches are also cut where the training data changes (the trainer's batchKey: a seed, say), so
// that idle workers share the work instead of one training thread carrying a whole shape.
export function cutBatches(cells: StoredCell[], batchSize: number, minBatches = 1): BatchRange[] {
  const coarse = cutWhere(cells, batchSize, shapeKey);
  if (coarse.length >= minBatches) return coarse;
  return cutWhere(cells, batchSize, (params) => `${shapeKey(params)}|${batchKey(params)}`);
}

function cutWhere(
  cells: StoredCell[],
  batchSize: number,
  groupOf: (params: StoredCell['params']) => string,
): BatchRange[] {
  const batches: BatchRange[] = [];
  let current: BatchRange | undefined;
  let currentShape = '';
  for (const cell of cells) {
    const shape = groupOf(cell.params);
    if (!current || current.cells >= batchSize || shape !== currentShape) {
      current = { fromOrdinal: cell.ordinal, toOrdinal: cell.ordinal, cells: 0 };
      currentShape = shape;
      batches.push(current);
    }
    current.toOrdinal = cell.ordinal;
    current.cells++;
  }
  return batches;
}
