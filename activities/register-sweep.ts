import { ApplicationFailure, Context } from '@temporalio/activity';
import { cellsInBatchOrder } from '../sweep/batch-order.ts';
import { countCells } from '../sweep/cells.ts';
import { isCommandSpec, withCodeHash } from '../sweep/command-sweep.ts';
import { DEFAULT_MAX_CELLS, gridTooLargeMessage } from '../sweep/limits.ts';
import { specHash } from '../sweep/spec.ts';
import { insertSweepCells } from '../store/cells.ts';
import { sweepCounts } from '../store/sweep-counts.ts';
import { createSweep, markSweepRunning, recordCodeHash } from '../store/sweeps.ts';
import { TRAINER_VERSION } from '../trainer/index.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import type { RegisterSweepInput, RegisterSweepOutcome } from './contract.ts';
import type { ActivityDeps } from './deps.ts';

// Cells built and inserted at a time: what is held is a chunk, and the larger the chunk the more of it
// outlives the young generation and piles up as garbage in the old one (20,000 let the peak RSS grow
// with the grid). A heartbeat well within the minute the workflow allows between two.
const INSERT_CHUNK = 5_000;
const HEARTBEAT_EVERY_MS = 5_000;

// Stores the sweep and all its cells. Ordinals follow the batches' order, so a batch of one shape is a
// contiguous ordinal range and the workflow can name work by (from, to) alone. The cells are built and
// stored a chunk at a time (sweep/batch-order.ts), so the worker's memory does not grow with the grid.
// Idempotent: a retry inserts nothing twice.
export function makeRegisterSweep({ pool, heartbeatTimeoutMs, maxCells, commands }: ActivityDeps) {
  return async function registerSweep(input: RegisterSweepInput): Promise<RegisterSweepOutcome> {
    const { sweepId } = input;
    const total = countOrRefuse(input.spec, maxCells);
    const spec = await hashProgram(input.spec, commands);
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
    // On a clock: the grid is read once before the first chunk is ready, which takes a while too.
    let inserted = 0;
    const beat = setInterval(() => ctx.heartbeat({ inserted, of: total }), HEARTBEAT_EVERY_MS);
    try {
      for await (const chunk of cellsInBatchOrder(spec, INSERT_CHUNK)) {
        await insertSweepCells(pool, sweepId, chunk);
        inserted += chunk.length;
      }
    } finally {
      clearInterval(beat);
    }
    // `run` stored the sweep before any worker hashed its program.
    if (spec.command?.code_hash !== undefined) await recordCodeHash(pool, sweepId, spec.command.code_hash);
    const counts = await sweepCounts(pool, sweepId);
    // `cancel` on a queued sweep terminates its workflow and marks it cancelled: a registration that
    // was under way then must not mark it running again.
    if (!(await markSweepRunning(pool, sweepId))) {
      throw ApplicationFailure.nonRetryable(`sweep ${sweepId} was cancelled before it started`, 'Cancelled');
    }
    return { total: counts.total, cached: counts.cached, heartbeatTimeoutMs };
  };
}

// A command spec's program is hashed once per sweep, here: its cells' keys hold that hash, so a sweep
// (a schedule's nightly one too) retrains exactly the cells whose program changed since. A program this
// worker cannot hash (a listed file missing, no git tree) fails the sweep at once.
async function hashProgram(spec: SweepSpec, commands: ActivityDeps['commands']): Promise<SweepSpec> {
  if (!isCommandSpec(spec)) return spec;
  if (commands === undefined)
    throw ApplicationFailure.nonRetryable('this worker cannot run method: command sweeps', 'BadSpec');
  try {
    return withCodeHash(spec, await commands.codeHash(spec.command!));
  } catch (err) {
    if ((err as { badInput?: boolean }).badInput)
      throw ApplicationFailure.nonRetryable((err as Error).message, 'BadSpec');
    throw err;
  }
}

// A spec this worker refuses (e.g. a grid over its PHASESWEEP_MAX_CELLS) fails the sweep at once
// instead of being retried forever; database trouble is still retried.
function countOrRefuse(spec: RegisterSweepInput['spec'], maxCells = DEFAULT_MAX_CELLS): number {
  const total = countCells(spec);
  if (total > maxCells)
    throw ApplicationFailure.nonRetryable(gridTooLargeMessage(total, maxCells), 'BadSpec');
  return total;
}
