import { ApplicationFailure, Context } from '@temporalio/activity';
import { batchCells } from '../sweep/batches.ts';
import { expandCells } from '../sweep/cells.ts';
import { specHash } from '../sweep/spec.ts';
import { insertSweepCells } from '../store/cells.ts';
import { sweepCounts } from '../store/sweep-counts.ts';
import { createSweep, markSweepRunning } from '../store/sweeps.ts';
import { TRAINER_VERSION } from '../trainer/index.ts';
import type { RegisterSweepInput, RegisterSweepOutcome } from './contract.ts';
import type { ActivityDeps } from './deps.ts';

// Cells per insert call, with a heartbeat between calls (a million-cell grid takes minutes).
const INSERT_CHUNK = 20_000;

// Stores the sweep and all its cells. Ordinals follow the batches' order, so a batch of one shape is a
// contiguous ordinal range and the workflow can name work by (from, to) alone. Idempotent: a retry
// inserts nothing twice.
export function makeRegisterSweep({ pool, heartbeatTimeoutMs, maxCells }: ActivityDeps) {
  return async function registerSweep(input: RegisterSweepInput): Promise<RegisterSweepOutcome> {
    const { spec, sweepId } = input;
    const ordered = batchCells(expandOrRefuse(spec, maxCells), spec.resources.batch_size).flat();
    await createSweep(pool, {
      id: sweepId,
      name: spec.name,
      spec,
      specHash: specHash(spec),
      trainerVersion: TRAINER_VERSION,
      scheduleId: input.scheduleId,
      workflowId: input.workflowId,
      tags: spec.tags,
    });
    const ctx = Context.current();
    for (let from = 0; from < ordered.length; from += INSERT_CHUNK) {
      ctx.heartbeat({ inserted: from, of: ordered.length });
      const chunk = ordered.slice(from, from + INSERT_CHUNK);
      await insertSweepCells(
        pool,
        sweepId,
        chunk.map((cell, i) => ({ key: cell.key, ordinal: from + i, params: cell.params })),
      );
    }
    const counts = await sweepCounts(pool, sweepId);
    // `cancel` on a queued sweep terminates its workflow and marks it cancelled: a registration that
    // was under way then must not mark it running again.
    if (!(await markSweepRunning(pool, sweepId))) {
      throw ApplicationFailure.nonRetryable(`sweep ${sweepId} was cancelled before it started`, 'Cancelled');
    }
    return { total: counts.total, cached: counts.cached, heartbeatTimeoutMs };
  };
}

// A spec this worker refuses (e.g. a grid over its PHASESWEEP_MAX_CELLS) fails the sweep at once
// instead of being retried forever; database trouble is still retried.
function expandOrRefuse(spec: RegisterSweepInput['spec'], maxCells: number | undefined) {
  try {
    return expandCells(spec, { maxCells });
  } catch (err) {
    throw ApplicationFailure.nonRetryable(err instanceof Error ? err.message : String(err), 'BadSpec');
  }
}
