// Sweeps end to end on a real Temporal dev server and a real Postgres, trained by a real
// `phasesweep worker` process: completion, verify, cache hits, attach, cancel, continue-as-new, a
// diverging and a throwing cell. About 60-90 s, most of it starting the stack and the worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSpecText } from '../../sweep/spec.ts';
import { expandCells } from '../../sweep/cells.ts';
import { awaitSweep, queryProgress } from '../../client/await-sweep.ts';
import { connectClient } from '../../client/connect.ts';
import { startSweep } from '../../client/start-sweep.ts';
import { derivedSweepId } from '../../sweep/ids.ts';
import type { sweepWorkflow } from '../../workflows/sweep-workflow.ts';
import { CONTROL_QUEUE } from '../../sweep/queues.ts';
import { runPhasesweep, useTestStack } from '../helpers/stack.ts';
import {
  queryRows,
  resultCount,
  spawnWorker,
  waitFor,
  writeSpec,
  type WorkerProcess,
} from '../helpers/sweeps.ts';
import { stringify } from 'yaml';

// Tiny real supervised cells: training is not what is tested here, only that every cell ends stored.
const TINY = { d: 20, m: 4, steps: 20, n_test: 50, n_labels: 8 };

// Cells that diverge for real (a huge learning rate with label noise; checked with train-cell: both
// seeds give NaN) and one the worker is told to throw on through the fault-injection hook
// (activities/fault-injection.ts).
const FAULTS_SPEC = {
  method: 'supervised',
  grid: { lr: [0.5, 1000], seed: [0, 1] },
  fixed: { ...TINY, q: 3, p: 0.1, snr: 1 },
  resources: { batch_size: 6 },
};
const throwingKey = expandCells(
  parseSpecText(stringify({ name: 'faults', ...FAULTS_SPEC }), 'faults.yaml'),
).find((c) => c.params.lr === 0.5 && c.params.seed === 1)!.key;

// A hang (a sweep that never ends) fails its test instead of stalling the suite.
const TEST_TIMEOUT_MS = 240_000;

let worker: WorkerProcess | undefined;
const session = useTestStack('sweep-run', async ({ env }) => {
  // The worker's own grid limit lets a test send it a spec it must refuse.
  worker = await spawnWorker(
    { ...env, PHASESWEEP_FAULT_THROW_CELLS: throwingKey, PHASESWEEP_MAX_CELLS: '1000' },
    ['--concurrency', '2'],
  );
});
session.onStop(() => worker?.stop());

async function runJson(args: string[]): Promise<{ code: number | null; report: Record<string, unknown> }> {
  const run = await runPhasesweep(['run', ...args, '--json'], session.env, 180_000);
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return { code: run.code, report: JSON.parse(line) as Record<string, unknown> };
  } catch {
    throw new Error(`run printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

test(
  'a 60-cell sweep stores 60 results, verifies, and a re-run trains nothing',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const spec = writeSpec(session.dir, 'sixty', {
      method: 'supervised',
      grid: { snr: [0.1, 0.3, 1, 3], seed: { range: [0, 15] } },
      fixed: TINY,
      resources: { batch_size: 16, max_in_flight: 3 },
    });
    const first = await runJson([spec, '--wait']);
    assert.equal(first.code, 0, JSON.stringify(first.report));
    assert.deepEqual(
      { status: first.report.status, counts: first.report.counts },
      { status: 'completed', counts: { total: 60, done: 60, cached: 0, failed: 0, pending: 0 } },
    );
    const sweepId = String(first.report.sweep_id);
    assert.equal(await resultCount(session.stack.endpoints.databaseUrl, sweepId), 60);
    const curves = await queryRows<{ n: number }>(
      session.stack.endpoints.databaseUrl,
      'SELECT count(DISTINCT k.cell_key)::int AS n FROM sweep_cells k JOIN curves c USING (cell_key) WHERE k.sweep_id = $1',
      [sweepId],
    );
    assert.equal(curves[0].n, 60, 'every trained cell has its curve');

    const verify = await runPhasesweep(['verify', sweepId], session.env);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /60\/60 done \(0 cached, 0 failed\): OK/);

    const csv = await runPhasesweep(['results', sweepId, '--format', 'csv'], session.env);
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stdout.trim().split('\n').length, 61);

    const again = await runJson([spec, '--wait']);
    assert.equal(again.code, 0);
    assert.notEqual(again.report.sweep_id, sweepId, 'a finished sweep run again is a new sweep');
    assert.deepEqual(
      { status: again.report.status, counts: again.report.counts },
      { status: 'completed', counts: { total: 60, done: 60, cached: 60, failed: 0, pending: 0 } },
    );
    const trainedBySecond = await queryRows<{ n: number }>(
      session.stack.endpoints.databaseUrl,
      'SELECT count(*)::int AS n FROM results WHERE sweep_id = $1',
      [again.report.sweep_id],
    );
    assert.equal(trainedBySecond[0].n, 0);
  },
);

test(
  'a diverging cell is stored as diverged, a throwing cell as a failure, and the sweep completes',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const spec = writeSpec(session.dir, 'faults', FAULTS_SPEC);
    const run = await runJson([spec, '--wait']);
    assert.equal(run.code, 0, 'every cell has a result or a recorded failure');
    assert.deepEqual(
      { status: run.report.status, counts: run.report.counts },
      { status: 'completed_with_failures', counts: { total: 4, done: 3, cached: 0, failed: 1, pending: 0 } },
    );
    const sweepId = String(run.report.sweep_id);
    const failures = await queryRows<{ cell_key: string; attempt: number; error: string }>(
      session.stack.endpoints.databaseUrl,
      'SELECT cell_key, attempt, error FROM failures WHERE sweep_id = $1',
      [sweepId],
    );
    assert.equal(failures.length, 1);
    assert.equal(failures[0].cell_key, throwingKey);
    assert.equal(failures[0].attempt, 3, 'recorded after the retry policy was exhausted');
    assert.match(failures[0].error, /injected fault/);

    const diverged = await queryRows<{ lr: number; diverged: boolean }>(
      session.stack.endpoints.databaseUrl,
      'SELECT c.lr, r.diverged FROM sweep_cells c JOIN results r USING (cell_key) WHERE c.sweep_id = $1 ORDER BY c.lr',
      [sweepId],
    );
    assert.deepEqual(
      diverged.map((r) => [r.lr, r.diverged]),
      [
        [0.5, false],
        [1000, true],
        [1000, true],
      ],
    );
    const verify = await runPhasesweep(['verify', sweepId, '--json'], session.env);
    assert.equal(verify.code, 0);
    assert.deepEqual(JSON.parse(verify.stdout), {
      sweep_id: sweepId,
      status: 'completed_with_failures',
      counts: { total: 4, done: 3, cached: 0, failed: 1, pending: 0 },
      ok: true,
    });
  },
);

test(
  'two concurrent runs of one spec make one sweep, which cancel stops',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    // Queue train-gpu has no worker here: the sweep registers and then waits, so both runs meet it
    // running.
    const spec = writeSpec(session.dir, 'attach', {
      method: 'noop',
      grid: { seed: { range: [0, 10] } },
      resources: { queue: 'train-gpu' },
    });
    const [a, b] = await Promise.all([runJson([spec]), runJson([spec])]);
    assert.equal(a.code, 0);
    assert.equal(b.code, 0);
    assert.equal(a.report.sweep_id, b.report.sweep_id);
    assert.equal(a.report.workflow_id, b.report.workflow_id);
    assert.deepEqual([a.report.attached, b.report.attached].sort(), [false, true]);
    const sweeps = await queryRows<{ n: number }>(
      session.stack.endpoints.databaseUrl,
      "SELECT count(*)::int AS n FROM sweeps WHERE name = 'attach'",
    );
    assert.ok(sweeps[0].n <= 1, 'at most one sweep row');

    const sweepId = String(a.report.sweep_id);
    const { client, close } = await connectClient(
      session.stack.endpoints.temporalAddress,
      session.stack.endpoints.namespace,
    );
    try {
      const handle = client.workflow.getHandle(String(a.report.workflow_id));
      await waitFor(
        'the sweep to run',
        async () => (await queryProgress(handle).catch(() => undefined))?.status === 'running',
      );
      const cancel = await runPhasesweep(['cancel', sweepId, '--wait'], session.env);
      assert.equal(cancel.code, 0, cancel.stderr);
      assert.match(cancel.stdout, /is cancelled/);
      assert.equal((await awaitSweep(handle)).outcome, 'cancelled');
    } finally {
      await close();
    }
    const again = await runPhasesweep(['cancel', sweepId], session.env);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /is cancelled: nothing to cancel/);
  },
);

test(
  'continue-as-new carries the cursor: a sweep over several runs stores every cell once',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const spec = parseSpecText(
      stringify({
        name: 'continue-as-new',
        method: 'noop',
        grid: { seed: { range: [0, 40] } },
        resources: { batch_size: 3, max_in_flight: 2 },
      }),
      'continue-as-new.yaml',
    );
    const { client, close } = await connectClient(
      session.stack.endpoints.temporalAddress,
      session.stack.endpoints.namespace,
    );
    try {
      const started = await startSweep(client, spec, { continueAsNewAfterBatches: 3 });
      const ended = awaitSweep(started.handle);
      // Continuing as new is not an ending: the stored status must stay `running` until the last run.
      const seen = new Set<string>();
      let finished = false;
      void ended.finally(() => (finished = true));
      while (!finished) {
        const rows = await queryRows<{ status: string }>(
          session.stack.endpoints.databaseUrl,
          'SELECT status FROM sweeps WHERE id = $1',
          [started.sweepId],
        );
        if (rows[0]) seen.add(rows[0].status);
        await new Promise((r) => setTimeout(r, 50));
      }
      const end = await ended;
      assert.ok(!seen.has('failed') && !seen.has('completed_with_failures'), [...seen].join(', '));
      assert.equal(end.outcome, 'finished');
      assert.deepEqual(end.outcome === 'finished' && { ...end.summary }, {
        sweep_id: started.sweepId,
        status: 'completed',
        total: 40,
        done: 40,
        cached: 0,
        failed: 0,
        pending: 0,
      });
      const latest = client.workflow.getHandle(started.workflowId);
      const progress = await queryProgress(latest);
      assert.ok(progress.runs >= 4, `14 batches at 3 per run take several runs, saw ${progress.runs}`);
      assert.equal((await latest.describe()).memo?.sweep_id, started.sweepId, 'the last run names the sweep');
      // Visibility is eventually consistent: wait until it lists every run of the chain.
      let lengths: number[] = [];
      await waitFor('every run to be listed', async () => {
        lengths = [];
        for await (const run of client.workflow.list({ query: `WorkflowId = '${started.workflowId}'` })) {
          lengths.push(run.historyLength);
        }
        return lengths.length >= progress.runs;
      });
      assert.ok(Math.max(...lengths) < 100, `each run's history stays small: ${lengths.join(', ')}`);
    } finally {
      await close();
    }
    const verify = await runPhasesweep(['verify', 'continue-as-new'], session.env);
    assert.equal(verify.code, 0, verify.stdout);
  },
);

test(
  'a start without a sweep id (as a schedule makes) names its sweep itself and exposes it',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const spec = parseSpecText(
      stringify({ name: 'scheduled', method: 'noop', grid: { seed: { range: [1000, 1005] } } }),
      'scheduled.yaml',
    );
    const { client, close } = await connectClient(
      session.stack.endpoints.temporalAddress,
      session.stack.endpoints.namespace,
    );
    try {
      const handle = await client.workflow.start<typeof sweepWorkflow>('sweepWorkflow', {
        taskQueue: CONTROL_QUEUE,
        workflowId: `scheduled-${Date.now()}`,
        args: [{ spec, scheduleId: 'nightly-test' }],
      });
      const summary = await handle.result();
      const expected = derivedSweepId('scheduled', handle.firstExecutionRunId);
      assert.equal(summary.sweep_id, expected);
      assert.equal((await handle.describe()).memo?.sweep_id, expected);
      const rows = await queryRows<{ schedule_id: string; status: string; done: number }>(
        session.stack.endpoints.databaseUrl,
        'SELECT schedule_id, status, c.done FROM sweeps s CROSS JOIN LATERAL sweep_counts(s.id) c WHERE id = $1',
        [expected],
      );
      assert.deepEqual(rows, [{ schedule_id: 'nightly-test', status: 'completed', done: 5 }]);
      assert.equal(summary.done, 5);
    } finally {
      await close();
    }
  },
);

test(
  'a spec the worker refuses fails the sweep at once instead of retrying forever',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const spec = parseSpecText(
      stringify({ name: 'refused', method: 'noop', grid: { seed: { range: [0, 2000] } } }),
      'refused.yaml',
    );
    const { client, close } = await connectClient(
      session.stack.endpoints.temporalAddress,
      session.stack.endpoints.namespace,
    );
    try {
      const started = await startSweep(client, spec);
      const end = await awaitSweep(started.handle);
      assert.equal(end.outcome, 'failed');
      assert.match(end.outcome === 'failed' ? end.error : '', /failed/i);
      const history = await started.handle.fetchHistory();
      const failure = JSON.stringify(history.events?.at(-1));
      assert.match(failure, /the grid has 2000 cells, more than the limit of 1000/);
    } finally {
      await close();
    }
  },
);

test(
  'an unknown sweep is bad input (exit 2) for results, verify and cancel',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    for (const command of ['results', 'verify', 'cancel']) {
      const run = await runPhasesweep([command, 'no-such-sweep'], session.env);
      assert.equal(run.code, 2, `${command}: ${run.stderr}`);
      assert.match(run.stderr, /unknown sweep 'no-such-sweep'/);
    }
  },
);
