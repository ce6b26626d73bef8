import {
  CancellationScope,
  isCancellation,
  makeContinueAsNewFunc,
  proxyActivities,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { ControlActivities, SweepSummary, TrainActivities } from '../activities/contract.ts';
import type { BatchRange } from '../sweep/batches.ts';
import { batchTimeLimitMs } from '../sweep/batch-time-limit.ts';
import type { EndStatus } from '../sweep/statuses.ts';
import { derivedSweepId } from '../sweep/ids.ts';
import { progressQuery } from './queries.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import type { SweepCarry, SweepProgress, SweepWorkflowInput } from './types.ts';

export const TRAIN_MAX_ATTEMPTS = 3;
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 60_000;
// One planning query reads at most this many pending cells (with their parameters).
const MAX_CELLS_PER_PLAN = 50_000;

// Bookkeeping is one or two queries: a short timeout, because an attempt on a worker that died is only
// noticed when it times out. Registering a large grid takes longer, so it heartbeats instead.
const retry = { initialInterval: '1 second', maximumInterval: '30 seconds' };
const control = proxyActivities<ControlActivities>({ startToCloseTimeout: '30 seconds', retry });
const registration = proxyActivities<Pick<ControlActivities, 'registerSweep'>>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry,
});

// One sweep: register its cells, then keep at most `max_in_flight` trainBatch activities running over
// the pending cells in ordinal order, continuing as new (with only a cursor and counters) when the
// history grows, and write the final summary to the store. With `refine:` each finished window is
// followed by a round of new cells inside the open brackets, which the same window then trains.
export async function sweepWorkflow(input: SweepWorkflowInput): Promise<SweepSummary> {
  const info = workflowInfo();
  const { spec } = input;
  const sweepId = input.sweepId ?? derivedSweepId(spec.name, info.firstExecutionRunId);
  if (info.memo?.sweep_id !== sweepId) upsertMemo({ sweep_id: sweepId });

  const progress: SweepProgress = {
    status: 'registering',
    total: input.carry?.total ?? 0,
    done: input.carry?.done ?? 0,
    cached: input.carry?.cached ?? 0,
    failed: input.carry?.failed ?? 0,
    pending: 0,
    running: 0,
    rate: null,
    eta_s: null,
    runs: (input.carry?.runs ?? 0) + 1,
    refine: spec.refine
      ? (input.carry?.refine ?? {
          round: 0,
          max_rounds: spec.refine.max_rounds,
          open_brackets: 0,
          brackets: [],
          cells_per_round: [],
        })
      : null,
  };
  let startedAtMs = input.carry?.startedAtMs ?? Date.now();
  setHandler(progressQuery, () => withRate(progress, startedAtMs));

  let cursor = input.carry?.cursor ?? -1;
  // A run continued as new carries the timeout its first run settled on.
  let heartbeatTimeoutMs = input.heartbeatTimeoutMs ?? secondsToMs(spec.resources.heartbeat_timeout);
  try {
    if (!input.carry) {
      const registered = await registration.registerSweep({
        sweepId,
        spec,
        scheduleId: input.scheduleId ?? null,
        workflowId: info.workflowId,
      });
      progress.total = registered.total;
      progress.cached = registered.cached;
      progress.refine?.cells_per_round.push(registered.total);
      // As in the store's counts, a cached cell is a done one.
      progress.done = registered.cached;
      startedAtMs = Date.now();
      heartbeatTimeoutMs ??= registered.heartbeatTimeoutMs;
    }
    heartbeatTimeoutMs ??= DEFAULT_HEARTBEAT_TIMEOUT_MS;
    const train = trainActivities(spec, heartbeatTimeoutMs);
    progress.status = 'running';
    for (;;) {
      const window = await runWindow(input, cursor, sweepId, progress, train);
      cursor = window.cursor;
      if (window.continueAsNew) break;
      if (!(await refineNext(spec, sweepId, progress))) return await finish(sweepId, 'completed', progress);
      // Between rounds nothing is in flight: the cheapest moment to start a fresh history.
      if (workflowInfo().continueAsNewSuggested) break;
    }
  } catch (err) {
    if (isCancellation(err)) {
      // The summary must be written even though this scope is cancelled; then report the
      // cancellation to Temporal as such.
      await CancellationScope.nonCancellable(() => finish(sweepId, 'cancelled', progress));
      throw err;
    }
    await finish(sweepId, 'failed', progress).catch(() => undefined);
    throw err;
  }
  // Outside the try: continuing as new is not a failure to record.
  const carry: SweepCarry = {
    cursor,
    total: progress.total,
    cached: progress.cached,
    done: progress.done,
    failed: progress.failed,
    startedAtMs,
    runs: progress.runs,
    ...(progress.refine ? { refine: progress.refine } : {}),
  };
  const continueAsNew = makeContinueAsNewFunc<typeof sweepWorkflow>({ memo: { sweep_id: sweepId } });
  return await continueAsNew({ ...input, sweepId, heartbeatTimeoutMs, carry });
}

// After every pending cell of a round is handled: the boundaries so far, and the next round's cells
// (none once every bracket is narrow enough, or after max_rounds). True when a round was added.
async function refineNext(spec: SweepSpec, sweepId: string, progress: SweepProgress): Promise<boolean> {
  const refine = progress.refine;
  if (!spec.refine || !refine) return false;
  const next = await control.refineRound({
    sweepId,
    round: refine.round + 1,
    register: refine.round < spec.refine.max_rounds,
  });
  refine.open_brackets = next.openBrackets;
  refine.brackets = next.brackets;
  if (next.added === 0) return false;
  refine.round = next.round;
  refine.cells_per_round.push(next.added);
  progress.total += next.added;
  progress.cached += next.cached;
  progress.done += next.cached;
  return true;
}

async function finish(sweepId: string, status: EndStatus, progress: SweepProgress): Promise<SweepSummary> {
  const summary = await control.finishSweep({ sweepId, status });
  // Only the status: the progress counters keep their own meaning (cells this sweep trained) for the
  // rate; what users read as counts comes from the store.
  progress.status = summary.status;
  progress.running = 0;
  return summary;
}

// Runs the pending cells after `after` until none is left, or until this run should continue as new.
// `cursor`: every pending cell up to it has been handed to a finished trainBatch.
async function runWindow(
  input: SweepWorkflowInput,
  after: number,
  sweepId: string,
  progress: SweepProgress,
  train: (cells: number) => TrainActivities,
): Promise<{ cursor: number; continueAsNew: boolean }> {
  const { batch_size: batchSize, max_in_flight: maxInFlight } = input.spec.resources;
  const inFlight = new Set<Promise<void>>();
  let queue: BatchRange[] = [];
  let plannedThrough = after;
  let startedThrough = plannedThrough;
  let exhausted = false;
  let batchesThisRun = 0;
  let stopping = false;

  const launch = (batch: BatchRange) => {
    progress.running += batch.cells;
    const task = train(batch.cells)
      .trainBatch({
        sweepId,
        fromOrdinal: batch.fromOrdinal,
        toOrdinal: batch.toOrdinal,
        maxAttempts: TRAIN_MAX_ATTEMPTS,
      })
      .then(
        (outcome) => {
          progress.done += batch.cells - outcome.failed;
          progress.failed += outcome.failed;
        },
        async (err: unknown) => {
          if (isCancellation(err)) throw err;
          // Retries are exhausted for the whole batch (e.g. its worker kept dying): its cells become
          // visible failures instead of silently missing.
          const recorded = await control.recordBatchFailure({
            sweepId,
            fromOrdinal: batch.fromOrdinal,
            toOrdinal: batch.toOrdinal,
            attempts: TRAIN_MAX_ATTEMPTS,
            error: err instanceof Error ? err.message : String(err),
          });
          progress.failed += recorded.failed;
        },
      )
      .finally(() => {
        progress.running -= batch.cells;
        batchesThisRun++;
        inFlight.delete(task);
      });
    inFlight.add(task);
  };

  for (;;) {
    while (!stopping && inFlight.size < maxInFlight) {
      if (queue.length === 0 && !exhausted) {
        queue = await control.planBatches({
          sweepId,
          afterOrdinal: plannedThrough,
          batchSize,
          maxBatches: Math.max(1, Math.min(maxInFlight * 2, Math.floor(MAX_CELLS_PER_PLAN / batchSize))),
        });
        if (queue.length === 0) exhausted = true;
        else plannedThrough = queue[queue.length - 1].toOrdinal;
      }
      const next = queue.shift();
      if (!next) break;
      startedThrough = next.toOrdinal;
      launch(next);
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight);
    const limit = input.continueAsNewAfterBatches;
    if (workflowInfo().continueAsNewSuggested || (limit !== undefined && batchesThisRun >= limit)) {
      // Stop launching and drain: a run continues as new only with nothing in flight.
      stopping = true;
    }
  }
  const moreWork = queue.length > 0 || !exhausted;
  if (stopping && moreWork) return { cursor: startedThrough, continueAsNew: true };
  // Stopping with nothing left is a finished window: its refinement round can follow in this run.
  return { cursor: plannedThrough, continueAsNew: false };
}

// The heartbeat timeout comes from the start options, else the spec, else the registering worker's
// setting, else 60 s. A short timeout retries a batch lost with its host (or a lost completion) sooner;
// too short, and a busy worker that merely heartbeats late loses its attempt. A batch's time limit
// follows its work (sweep/batch-time-limit.ts). Temporal's replay compares an activity's type and id
// only, not its timeouts, so histories that scheduled batches with the former fixed 24 hours replay.
function trainActivities(spec: SweepSpec, heartbeatTimeoutMs: number): (cells: number) => TrainActivities {
  const byLimit = new Map<number, TrainActivities>();
  return (cells) => {
    const limitMs = batchTimeLimitMs(spec, cells);
    let train = byLimit.get(limitMs);
    if (train === undefined) {
      train = proxyActivities<TrainActivities>({
        taskQueue: spec.resources.queue,
        startToCloseTimeout: limitMs,
        heartbeatTimeout: heartbeatTimeoutMs,
        retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: TRAIN_MAX_ATTEMPTS },
      });
      byLimit.set(limitMs, train);
    }
    return train;
  };
}

const secondsToMs = (s: number | undefined) => (s === undefined ? undefined : s * 1000);

function withRate(progress: SweepProgress, startedAtMs: number): SweepProgress {
  const elapsedS = (Date.now() - startedAtMs) / 1000;
  const trained = progress.done - progress.cached;
  const rate = trained > 0 && elapsedS > 0 ? trained / elapsedS : null;
  const pending = Math.max(0, progress.total - progress.done - progress.failed);
  const active = progress.status === 'running' || progress.status === 'registering';
  return { ...progress, pending, rate, eta_s: rate && active ? pending / rate : active ? null : 0 };
}
