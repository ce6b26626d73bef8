// sweepWorkflow alone: the real workflow code on a real Temporal test server (the existing binary, no
// download) and real workers, with in-memory activities instead of Postgres and the trainer, so the
// sliding window, continue-as-new and cancellation are checked in seconds.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { msToTs } from '@temporalio/common/lib/time.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { ControlActivities, TrainActivities, TrainBatchInput } from '../../activities/contract.ts';
import type { BatchRange } from '../../sweep/batches.ts';
import { CONTROL_QUEUE } from '../../sweep/queues.ts';
import { parseSpecText } from '../../sweep/spec.ts';
import type { SweepWorkflowInput } from '../../workflows/types.ts';
import { workflowBundle } from '../../workers/workflow-bundle.ts';
import { temporalBinary } from '../helpers/stack.ts';

let env: TestWorkflowEnvironment;

before(async () => {
  // Workers log their start and stop at INFO: keep the test's output to errors.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: await temporalBinary() } },
  });
});

after(async () => {
  await env?.teardown();
});

// One sweep of `cells` cells of one shape, all pending, held in memory. `workerHeartbeatMs`: the
// registering worker's heartbeat-timeout setting.
function fakeSweep(
  cells: number,
  trainMs: (batch: TrainBatchInput) => Promise<void>,
  workerHeartbeatMs?: number,
) {
  const trained = new Map<number, number>();
  // The heartbeat timeout each trainBatch attempt was scheduled with.
  const heartbeatTimeouts = new Set<number | undefined>();
  // Each batch's first ordinal -> the start-to-close timeout its attempt was scheduled with.
  const timeLimits = new Map<number, number>();
  const plannedAfter: number[] = [];
  const finished: string[] = [];
  let running = 0;
  let maxRunning = 0;
  let started = 0;
  const control: ControlActivities = {
    registerSweep: async () => ({ total: cells, cached: 0, heartbeatTimeoutMs: workerHeartbeatMs }),
    planBatches: async ({ afterOrdinal, batchSize, maxBatches }) => {
      plannedAfter.push(afterOrdinal);
      const batches: BatchRange[] = [];
      for (let from = afterOrdinal + 1; from < cells && batches.length < maxBatches; from += batchSize) {
        const to = Math.min(cells - 1, from + batchSize - 1);
        batches.push({ fromOrdinal: from, toOrdinal: to, cells: to - from + 1 });
      }
      return batches;
    },
    recordBatchFailure: async () => ({ failed: 0 }),
    finishSweep: async ({ sweepId, status }) => {
      finished.push(status);
      const done = [...trained.values()].length;
      return { sweep_id: sweepId, status, total: cells, done, cached: 0, failed: 0, pending: cells - done };
    },
    refineRound: async () => {
      throw new Error('no refine in these specs');
    },
    recordScheduleDrift: async () => null,
    freshSeedStart: async () => null,
  };
  const train: TrainActivities = {
    trainBatch: async (input) => {
      heartbeatTimeouts.add(Context.current().info.heartbeatTimeoutMs);
      timeLimits.set(input.fromOrdinal, Context.current().info.startToCloseTimeoutMs);
      started++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        await trainMs(input);
        for (let o = input.fromOrdinal; o <= input.toOrdinal; o++) trained.set(o, (trained.get(o) ?? 0) + 1);
        return { trained: input.toOrdinal - input.fromOrdinal + 1, diverged: 0, failed: 0 };
      } finally {
        running--;
      }
    },
  };
  return {
    control,
    train,
    trained,
    plannedAfter,
    finished,
    heartbeatTimeouts,
    timeLimits,
    stats: () => ({ maxRunning, started }),
  };
}

const spec = (batchSize: number, maxInFlight: number, heartbeatTimeoutS?: number) =>
  parseSpecText(
    `name: mocked\nmethod: noop\ngrid:\n  seed: { range: [0, 1] }\nresources: { queue: train-cpu, batch_size: ${batchSize}, max_in_flight: ${maxInFlight}${heartbeatTimeoutS === undefined ? '' : `, heartbeat_timeout: ${heartbeatTimeoutS}`} }\n`,
    'mocked.yaml',
  );

async function runWithWorkers<T>(sweep: ReturnType<typeof fakeSweep>, fn: () => Promise<T>): Promise<T> {
  const workflowWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: CONTROL_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: sweep.control,
  });
  const trainWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'train-cpu',
    activities: sweep.train,
  });
  return workflowWorker.runUntil(trainWorker.runUntil(fn()));
}

const start = (id: string, input: SweepWorkflowInput) =>
  env.client.workflow.start('sweepWorkflow', { taskQueue: CONTROL_QUEUE, workflowId: id, args: [input] });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

test('the sliding window keeps max_in_flight batches running and trains every cell once', async () => {
  const sweep = fakeSweep(40, () => sleep(50));
  const summary = await runWithWorkers(sweep, async () => {
    const handle = await start('window', { spec: spec(2, 3), sweepId: 'window' });
    return handle.result();
  });
  assert.equal(summary.status, 'completed');
  assert.equal(sweep.trained.size, 40);
  assert.ok(
    [...sweep.trained.values()].every((n) => n === 1),
    'a cell was trained twice',
  );
  assert.equal(sweep.stats().started, 20);
  assert.equal(sweep.stats().maxRunning, 3);
  assert.deepEqual(sweep.finished, ['completed']);
});

test('continue-as-new carries the cursor: later runs plan after it and no cell is trained twice', async () => {
  const sweep = fakeSweep(30, () => sleep(10));
  const { summary, firstRunId, lastRunId } = await runWithWorkers(sweep, async () => {
    const handle = await start('chain', { spec: spec(3, 2), sweepId: 'chain', continueAsNewAfterBatches: 3 });
    const result = await handle.result();
    return {
      summary: result,
      firstRunId: handle.firstExecutionRunId,
      lastRunId: (await handle.describe()).runId,
    };
  });
  assert.equal(summary.status, 'completed');
  assert.notEqual(lastRunId, firstRunId, 'the workflow never continued as new');
  assert.ok(
    sweep.plannedAfter.some((after) => after > 0),
    'no run planned from a carried cursor',
  );
  assert.equal(sweep.trained.size, 30);
  assert.ok(
    [...sweep.trained.values()].every((n) => n === 1),
    'a cell was trained twice',
  );
  assert.deepEqual(sweep.finished, ['completed']);
});

test('cancelling a sweep stops its batches, records the sweep as cancelled and reports the cancellation', async () => {
  let firstBatchStarted!: () => void;
  const batchStarted = new Promise<void>((resolve) => (firstBatchStarted = resolve));
  // Each batch heartbeats until it is cancelled: cancellation reaches an activity through its heartbeat.
  const sweep = fakeSweep(20, async () => {
    firstBatchStarted();
    const ctx = Context.current();
    for (;;) {
      ctx.heartbeat();
      await ctx.sleep(100);
    }
  });
  const outcome = await runWithWorkers(sweep, async () => {
    const handle = await start('cancel', { spec: spec(2, 2), sweepId: 'cancel', heartbeatTimeoutMs: 2000 });
    await batchStarted;
    await handle.cancel();
    return handle.result().then(
      () => 'finished',
      (err: unknown) =>
        err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure
          ? 'cancelled'
          : String(err),
    );
  });
  assert.equal(outcome, 'cancelled');
  assert.deepEqual(sweep.finished, ['cancelled']);
  assert.equal(sweep.trained.size, 0);
  assert.equal(sweep.stats().started, 2, 'batches were started after the cancellation');
});

for (const [label, specS, workerMs, expected] of [
  ["the spec's heartbeat_timeout wins over the worker's setting", 7, 4_000, 7_000],
  ["without one in the spec, the registering worker's setting applies", undefined, 4_000, 4_000],
  ['with neither, 60 s', undefined, undefined, 60_000],
] as const) {
  test(`heartbeat timeout: ${label}, in every run of a continued-as-new sweep`, async () => {
    const sweep = fakeSweep(12, () => sleep(10), workerMs);
    const id = `heartbeat-${expected}`;
    const runs = await runWithWorkers(sweep, async () => {
      const handle = await start(id, { spec: spec(2, 2, specS), sweepId: id, continueAsNewAfterBatches: 2 });
      await handle.result();
      return (await handle.describe()).runId !== handle.firstExecutionRunId;
    });
    assert.ok(runs, 'the sweep continued as new');
    assert.equal(sweep.trained.size, 12);
    assert.deepEqual([...sweep.heartbeatTimeouts], [expected]);
  });
}

test('a batch of long command cells may run them all one after another; histories scheduled with 24 hours replay', async () => {
  const HOUR = 3_600_000;
  const sweep = fakeSweep(6, () => sleep(10));
  const long = parseSpecText(
    'name: long\nmethod: command\ncommand: { argv: [python3, train.py], metrics: [loss], timeout: 10h, grace: 30s }\ngrid: { lr: [1, 2, 3, 4, 5, 6] }\nresources: { queue: train-cpu, batch_size: 4, max_in_flight: 2 }\n',
    'long.yaml',
  );
  const history = await runWithWorkers(sweep, async () => {
    const handle = await start('long-cells', { spec: long, sweepId: 'long-cells' });
    await handle.result();
    return handle.fetchHistory();
  });
  assert.equal(sweep.trained.size, 6);
  // 4 cells: 4 x (10 h + 30 s) + 1 h; 2 cells: 21 h 1 min, so the 24 h floor.
  assert.deepEqual(
    [...sweep.timeLimits].sort(([a], [b]) => a - b),
    [
      [0, 41 * HOUR + 2 * 60_000],
      [4, 24 * HOUR],
    ],
  );
  // A sweep scheduled its batches with 24 hours before the limit followed the work: its history
  // replays on this code (Temporal compares an activity's type and id, not its timeouts).
  const scheduled = (history.events ?? []).flatMap((event) => {
    const attrs = event.activityTaskScheduledEventAttributes;
    return attrs?.activityType?.name === 'trainBatch' ? [attrs] : [];
  });
  assert.equal(scheduled.length, 2);
  for (const attrs of scheduled) attrs.startToCloseTimeout = msToTs('24 hours');
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'long-cells');
});
