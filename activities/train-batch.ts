import { ApplicationFailure, Context } from '@temporalio/activity';
import { pendingCells } from '../store/cells.ts';
import type { Cell } from '../sweep/cells.ts';
import { recordFailure, writeCurves, writeResults, type ResultRow } from '../store/results.ts';
import { isCommandCell, methodOf, type CellResult } from '../trainer/index.ts';
import type { TrainBatchInput, TrainBatchOutcome } from './contract.ts';
import { whileDatabaseDown } from './database-retry.ts';
import { CANCEL_REACH_MS } from './cancel-reach.ts';
import type { ActivityDeps } from './deps.ts';
import { hangingKeys, shouldHang } from './fault-hang.ts';
import { faultyKeys, injectedDelay, throwIfInjected } from './fault-injection.ts';
import { throttledBeat } from './throttled-beat.ts';
import type { TrainingThreads } from './training-threads.ts';
import { trainCommandCells } from './train-command-cells.ts';

interface CellFailure {
  cell: Cell;
  error: string;
}

// Trains the still-pending cells of one ordinal range and stores their results. Cells stored by an
// earlier attempt are skipped; a cell that throws does not take its batch-mates down (the batch falls
// back to cell by cell); on the last attempt a still-failing cell is recorded in `failures`.
export function makeTrainBatch({ pool, workerId, commands }: ActivityDeps, threads: TrainingThreads) {
  return async function trainBatch(input: TrainBatchInput): Promise<TrainBatchOutcome> {
    const ctx = Context.current();
    const signal = ctx.cancellationSignal;
    let last: unknown;
    // A database outage is waited out (database-retry.ts) rather than spending the batch's attempts.
    const db = <T>(op: () => Promise<T>) =>
      whileDatabaseDown(op, { signal, onWait: () => ctx.heartbeat(last) });
    const span = input.toOrdinal - input.fromOrdinal + 1;
    const cells = await db(() =>
      pendingCells(pool, input.sweepId, input.fromOrdinal - 1, span, input.toOrdinal),
    );
    const outcome: TrainBatchOutcome = { trained: 0, diverged: 0, failed: 0 };
    if (cells.length === 0) return outcome;
    if (isCommandCell(cells[0].params)) {
      // The programs run in their own processes, watched by the runner's limits: this thread is free
      // and heartbeats on a short clock, the latest details (checkpoints) with it, so that a
      // cancellation comes back in a heartbeat's answer soon (cancel-reach.ts).
      last = ctx.info.heartbeatDetails;
      const clock = setInterval(() => ctx.heartbeat(last), CANCEL_REACH_MS);
      const beats = throttledBeat((details: unknown) => ctx.heartbeat(details), COMMAND_BEAT_MS);
      try {
        return await trainCommandCells(
          { pool, workerId, commands, db, beat: (details) => beats.beat((last = details)) },
          input,
          cells,
        );
      } finally {
        beats.flush();
        clearInterval(clock);
      }
    }

    // Training runs in another thread, so this one is free to heartbeat on a clock as well: a live
    // worker is never mistaken for a dead one however long a chunk of training takes. Unless the
    // trainer has reported no progress for STALL_HEARTBEAT_TIMEOUTS heartbeat timeouts: then it is
    // hung, the clock stops, and Temporal's heartbeat timeout cancels this attempt (terminating the
    // thread) and retries the batch.
    last = { cells: cells.length, done: 0 };
    let trainingSince: number | undefined;
    const beat = (details: unknown) => {
      last = details;
      ctx.heartbeat(details);
    };
    const faulty = faultyKeys();
    const hanging = hangingKeys();
    const train = async (batch: Cell[], base: number): Promise<CellResult[]> => {
      throwIfInjected(batch, faulty);
      await injectedDelay(signal);
      trainingSince = Date.now();
      try {
        return await threads.train(
          batch.map((c) => c.params),
          {
            signal,
            onProgress: (fraction) => {
              trainingSince = Date.now();
              beat({ cells: cells.length, done: base + fraction * batch.length });
            },
            hang: shouldHang(batch, hanging, ctx.info.attempt),
          },
        );
      } finally {
        trainingSince = undefined;
      }
    };
    const store = async (batch: Cell[], results: CellResult[]) => {
      await db(() => storeResults(pool, input.sweepId, workerId, batch, results));
      outcome.trained += batch.length;
      outcome.diverged += results.filter((r) => r.diverged).length;
    };

    const stallMs = STALL_HEARTBEAT_TIMEOUTS * (ctx.info.heartbeatTimeoutMs ?? 60_000);
    const timer = setInterval(() => {
      if (trainingSince === undefined || Date.now() - trainingSince < stallMs) ctx.heartbeat(last);
    }, heartbeatEveryMs(ctx.info.heartbeatTimeoutMs));
    const failures: CellFailure[] = [];
    try {
      await store(cells, await train(cells, 0));
    } catch (err) {
      if (signal.aborted) throw err;
      // One bad cell must not fail the others: train them one at a time, storing each as it finishes.
      for (const [i, cell] of cells.entries()) {
        try {
          await store([cell], await train([cell], i));
        } catch (cellErr) {
          if (signal.aborted) throw cellErr;
          failures.push({ cell, error: cellErr instanceof Error ? cellErr.message : String(cellErr) });
        }
        beat({ cells: cells.length, done: i + 1 });
      }
    } finally {
      clearInterval(timer);
    }
    if (failures.length === 0) return outcome;

    const { attempt } = ctx.info;
    if (attempt < input.maxAttempts) {
      throw ApplicationFailure.retryable(
        `${failures.length} of ${cells.length} cells failed on attempt ${attempt}: ` +
          failures.map((f) => `${f.cell.key}: ${f.error}`).join('; '),
        'CellsFailed',
      );
    }
    for (const f of failures) {
      await db(() =>
        recordFailure(pool, { sweep_id: input.sweepId, cell_key: f.cell.key, attempt, error: f.error }),
      );
    }
    outcome.failed = failures.length;
    return outcome;
  };
}

// Curves go first: a stored result marks the cell finished, so it must never exist without its curve.
async function storeResults(
  pool: ActivityDeps['pool'],
  sweepId: string,
  workerId: string,
  cells: Cell[],
  results: CellResult[],
): Promise<void> {
  const points = cells.flatMap((cell, i) =>
    results[i].curve.map((p) => ({
      cell_key: cell.key,
      step: p.step,
      train_loss: finiteOrNull(p.train_loss),
      test_error: finiteOrNull(p.test_error),
    })),
  );
  if (points.length > 0) await writeCurves(pool, points);
  const rows: ResultRow[] = cells.map((cell, i) => {
    const { curve: _curve, ...outcome } = results[i];
    return {
      ...outcome,
      cell_key: cell.key,
      worker_id: workerId,
      // the version of the method that trained it, which its key holds
      trainer_version: methodOf(cell.params.method).version,
      sweep_id: sweepId,
    };
  });
  await writeResults(pool, rows);
}

// A command batch's progress and checkpoints reach Temporal's core at most this often (throttled-beat.ts).
const COMMAND_BEAT_MS = 250;

// Generous: the trainer reports progress many times per cell, so this is a long silence.
const STALL_HEARTBEAT_TIMEOUTS = 5;

function heartbeatEveryMs(timeoutMs: number | undefined): number {
  return Math.max(200, Math.min(5_000, (timeoutMs ?? 60_000) / 3));
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
