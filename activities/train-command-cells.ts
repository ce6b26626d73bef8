import { ApplicationFailure, Context } from '@temporalio/activity';
import type pg from 'pg';
import { recordFailure, writeCurves, writeResults, type CurveRow } from '../store/results.ts';
import { getSweep } from '../store/sweeps.ts';
import type { Cell } from '../sweep/cells.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import {
  methodOf,
  RESULT_METRICS,
  userParams,
  type CommandParams,
  type Outcome,
  type ResultMetric,
} from '../trainer/index.ts';
import type {
  CommandCellReport,
  CommandProgress,
  CommandRunner,
  CommandSpecSection,
} from './command-runner.ts';
import { coalescedWrites } from './coalesced-writes.ts';
import type { TrainBatchInput, TrainBatchOutcome } from './contract.ts';

// The `method: command` cells of one batch, each its own program run (workers/command/), all at once:
// the worker's runner holds each to a free slot. Outcomes (README, "Your own trainer"):
// - done: the result is stored with its metrics by name and the code hash, its progress as the curve;
// - a protocol failure or exit 64/65: recorded at once with the log's tail, never retried;
// - exit 75, any other non-zero exit, a signal, timeout or stall_timeout: retried by the sweep's retry
//   policy (the whole group was killed first); on the last attempt recorded with the log's tail. Other
//   exit codes are retried because a crash (out of memory, a lost GPU, a full disk) is most often the
//   host's, not the cell's; a program that knows better exits 64 or 65.
// Each cell's last checkpoint is kept in the heartbeat's details, so the attempt after a lost or retried
// one hands it to the program as resume_from. A heartbeat the SDK still holds back (throttling) when an
// attempt fails is sent before the failure, so a retry sees the newest checkpoint; a lost worker's last
// second of them may be lost (activities/cancel-reach.ts caps the throttle at that).

export interface CommandBatchDeps {
  pool: pg.Pool;
  workerId: string;
  commands?: CommandRunner;
  db: <T>(op: () => Promise<T>) => Promise<T>;
  beat: (details: CommandBeat) => void;
}

export interface CommandBeat {
  cells: number;
  done: number;
  /** cell key -> the path of its last checkpoint event */
  checkpoints: Record<string, string>;
}

// How long a finished cell's result waits for others to share its write (coalesced-writes.ts): long
// enough that fast cells go in groups of dozens, short against any real cell's training.
const STORE_LINGER_MS = 100;

// A sweep's spec is read once per worker while its batches come.
const specs = new Map<string, Promise<SweepSpec>>();
const SPECS_KEPT = 64;

function sweepSpec(pool: pg.Pool, sweepId: string): Promise<SweepSpec> {
  let spec = specs.get(sweepId);
  if (spec === undefined) {
    spec = getSweep(pool, sweepId).then((row) => {
      if (row === undefined) throw new Error(`sweep ${sweepId} is not in the store`);
      return row.spec as SweepSpec;
    });
    spec.catch(() => specs.delete(sweepId));
    specs.set(sweepId, spec);
    if (specs.size > SPECS_KEPT) specs.delete(specs.keys().next().value!);
  }
  return spec;
}

export async function trainCommandCells(
  deps: CommandBatchDeps,
  input: TrainBatchInput,
  cells: Cell[],
): Promise<TrainBatchOutcome> {
  const { commands } = deps;
  if (commands === undefined)
    throw ApplicationFailure.nonRetryable('this worker cannot run method: command cells', 'NoCommandRunner');
  const ctx = Context.current();
  const { attempt } = ctx.info;
  const spec = await deps.db(() => sweepSpec(deps.pool, input.sweepId));
  const section = spec.command as CommandSpecSection;
  // Registration hashed the program once for the sweep; every cell's key holds that hash.
  const codeHash = section.code_hash;
  if (codeHash === undefined)
    throw ApplicationFailure.nonRetryable(
      `sweep ${input.sweepId} has no code hash: it was never registered`,
      'BadSpec',
    );
  const earlier = (ctx.info.heartbeatDetails as Partial<CommandBeat> | undefined)?.checkpoints ?? {};
  const beat: CommandBeat = { cells: cells.length, done: 0, checkpoints: { ...earlier } };
  // At once, not with the first event: the batch's clock heartbeats repeat the latest details, and until
  // a program reports (seconds for a Python import of torch) they would record none, which `temporal
  // workflow describe` shows as binary/null while the checkpoints are said to be there.
  deps.beat(beat);
  const outcome: TrainBatchOutcome = { trained: 0, diverged: 0, failed: 0 };
  const retry: string[] = [];
  const writes = coalescedWrites(
    (done: DoneCell[]) => deps.db(() => storeResults(deps, input.sweepId, codeHash, done)),
    STORE_LINGER_MS,
  );
  // Once no program of this batch runs, no result is worth waiting for.
  let running = cells.length;
  const stop = stopSignal(ctx.cancellationSignal);

  const runCell = async (cell: Cell) => {
    const params = cell.params as unknown as CommandParams;
    const curve: CurveRow[] = [];
    const report = await commands.run({
      command: section,
      gpus: spec.resources.gpus,
      cellKey: cell.key,
      params: userParams(params),
      seed: params.seed,
      attempt,
      resumeFrom: beat.checkpoints[cell.key] ?? null,
      signal: stop,
      onProgress: (progress: CommandProgress) => {
        curve.push(curvePoint(cell.key, progress));
        deps.beat(beat);
      },
      onCheckpoint: (path) => {
        beat.checkpoints[cell.key] = path;
        deps.beat(beat);
      },
    });
    if (--running === 0) writes.flush();
    if (report.checkpoint !== undefined) beat.checkpoints[cell.key] = report.checkpoint;
    if (ctx.cancellationSignal.aborted) return;
    if (report.outcome.kind === 'done') {
      await writes.store({ cell, report, curve });
      outcome.trained++;
    } else if (!report.outcome.retryable || attempt >= input.maxAttempts) {
      await deps.db(() => recordCommandFailure(deps.pool, input.sweepId, cell, attempt, report));
      outcome.failed++;
    } else retry.push(`${cell.key}: ${report.outcome.message}`);
    // Done once its outcome is stored: a cell the heartbeat counts is never lost with the worker.
    beat.done++;
    deps.beat(beat);
  };

  await Promise.all(cells.map(runCell));
  if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('cancelled');
  if (retry.length > 0)
    throw ApplicationFailure.retryable(
      `${retry.length} of ${cells.length} cells failed on attempt ${attempt}: ${retry.join('; ')}`,
      'CellsFailed',
      beat,
    );
  return outcome;
}

// Typed metric columns are the CNN's: a command's metrics are kept by name only, whatever they are called.
const NO_TYPED_METRICS = Object.fromEntries(RESULT_METRICS.map((metric) => [metric, null])) as Record<
  ResultMetric,
  null
>;

// The runner ends every group on abort, after grace; the reason says whether the sweep was cancelled
// (or its attempt lost) or the worker is shutting down (the cell then runs again elsewhere).
function stopSignal(cancellation: AbortSignal): AbortSignal {
  const stop = new AbortController();
  const onAbort = () =>
    stop.abort(
      (cancellation.reason as Error | undefined)?.message === 'WORKER_SHUTDOWN' ? 'shutdown' : 'cancel',
    );
  if (cancellation.aborted) onAbort();
  else cancellation.addEventListener('abort', onAbort, { once: true });
  return stop.signal;
}

function curvePoint(cellKey: string, progress: CommandProgress): CurveRow {
  return {
    cell_key: cellKey,
    step: progress.step,
    train_loss: null,
    test_error: null,
    metrics: progress.metrics,
  };
}

interface DoneCell {
  cell: Cell;
  report: CommandCellReport;
  curve: CurveRow[];
}

// Curves first: a stored result marks the cell finished, so it must never exist without its curve. A
// step reported twice keeps its last metrics.
async function storeResults(
  deps: CommandBatchDeps,
  sweepId: string,
  codeHash: string,
  done: DoneCell[],
): Promise<void> {
  const points = done.flatMap(({ curve }) => [
    ...new Map(curve.map((point) => [point.step, point])).values(),
  ]);
  if (points.length > 0) await writeCurves(deps.pool, points);
  await writeResults(
    deps.pool,
    done.map(({ cell, report, curve }) => ({
      cell_key: cell.key,
      ...NO_TYPED_METRICS,
      diverged: false,
      steps: curve.reduce((last, point) => Math.max(last, point.step), 0),
      wall_ms: report.durationMs,
      backend: cell.params.method,
      worker_id: deps.workerId,
      trainer_version: methodOf(cell.params.method).version,
      sweep_id: sweepId,
      metrics: report.outcome.metrics ?? {},
      code_hash: codeHash,
    })),
  );
}

function recordCommandFailure(
  pool: pg.Pool,
  sweepId: string,
  cell: Cell,
  attempt: number,
  report: CommandCellReport,
): Promise<void> {
  return recordFailure(pool, {
    sweep_id: sweepId,
    cell_key: cell.key,
    attempt,
    error: describe(report.outcome),
    log_tail: report.logTail,
  });
}

const describe = (outcome: Outcome) => `${outcome.kind}: ${outcome.message}`;
