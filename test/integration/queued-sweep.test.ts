import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { runningSweeps } from '../../dashboards/queries/operations.ts';
import { runPhasesweep, startPhasesweep, useTestStack } from '../helpers/stack.ts';
import { expand } from '../helpers/dashboard-panels.ts';
import {
  missingQueues,
  queryRows,
  resultCount,
  spawnWorker,
  waitFor,
  writeSpec,
  type WorkerProcess,
} from '../helpers/sweeps.ts';

// A sweep `run --no-local-worker` started is known at once (queued), before any worker exists; a
// cancelled queued sweep is never trained by a worker that comes later; and every `--json` output stays
// JSON lines, also when a sweep is cancelled under a waiting `run` and a `watch`.

// Every line of a --json command's stdout is a JSON value.
function jsonLines(stdout: string): Record<string, unknown>[] {
  const lines = stdout.split('\n').filter((l) => l !== '');
  return lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      assert.fail(`not a JSON line on stdout: ${JSON.stringify(line)}`);
    }
  });
}

const COUNT_KEYS = ['cached', 'done', 'failed', 'pending', 'total'];

describe('a sweep nobody has picked up yet', () => {
  const session = useTestStack('queued');
  let worker: WorkerProcess | undefined;
  session.onStop(() => worker?.stop());
  const grid = { n_labels: [4, 8], snr: [0.5, 1.0], seed: { range: [0, 2] } };
  const fixed = { d: 50, m: 10, q: 3, sigma0: 0.01, lr: 1.0, steps: 400, n_test: 100 };
  const cli = (...args: string[]) => runPhasesweep(args, session.env, 90_000);
  const storedStatus = async (id: string) =>
    (
      await queryRows<{ status: string }>(
        session.stack.endpoints.databaseUrl,
        'SELECT status FROM sweeps WHERE id = $1',
        [id],
      )
    )[0]?.status;

  it('ls, show, watch and cancel know it from the moment run returns; a worker started later trains nothing', async () => {
    const specFile = writeSpec(session.dir, 'nobody-yet', { method: 'supervised', grid, fixed });
    const run = await cli('run', specFile, '--no-local-worker', '--json');
    assert.equal(run.code, 0, run.stderr);
    const { sweep_id: id, workflow_id: workflowId } = JSON.parse(run.stdout) as {
      sweep_id: string;
      workflow_id: string;
    };

    const ls = await cli('ls', '--json');
    assert.equal(ls.code, 0, ls.stderr);
    const listed = (JSON.parse(ls.stdout) as { id: string; status: string }[]).find((s) => s.id === id);
    assert.equal(listed?.status, 'queued', ls.stdout);
    // Its stored counts are 0/0 (no cells registered): ls shows the grid's 8 cells, none done, and no
    // cache hits or failures counted yet.
    const lsText = await cli('ls');
    assert.match(lsText.stdout, new RegExp(`${id}\\s+nobody-yet\\s+queued\\s+0/8\\s+-\\s+-\\s`));

    // Grafana's running sweeps list it too, with ls's 0/8 (the grid cells `run` stored), not 0/0.
    const panel = await queryRows<Record<string, unknown>>(
      session.stack.endpoints.databaseUrl,
      expand(runningSweeps.sql, {}),
    );
    assert.deepEqual(
      panel
        .filter((r) => r.id === id)
        .map(({ status, total, done, cached, failed, pending }) => ({
          status,
          total,
          done,
          cached,
          failed,
          pending,
        })),
      [{ status: 'queued', total: 8, done: 0, cached: null, failed: null, pending: 8 }],
    );

    const show = await cli('show', id);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /status\s+queued/);
    assert.match(show.stdout, /cells: 0\/8 done: queued, no worker has picked it up yet/);
    assert.doesNotMatch(show.stdout, /0\/0/);
    // The workflow id `run` printed beside it names the sweep too.
    const byWorkflow = await cli('show', workflowId, '--json');
    assert.equal(byWorkflow.code, 0, byWorkflow.stderr);
    assert.equal((JSON.parse(byWorkflow.stdout) as { sweep: { id: string } }).sweep.id, id);

    const watch = await cli('watch', id, '--json', '--timeout', '5s');
    assert.equal(watch.code, 1, watch.stderr);
    assert.deepEqual(missingQueues(watch.stderr, 'train-cpu'), ['phasesweep-sweeps', 'train-cpu']);
    assert.match(
      watch.stderr,
      new RegExp(
        `gave up after --timeout 5s: sweep ${id} is still queued: no worker has picked it up yet ` +
          `\\(no worker polls task queues phasesweep-sweeps, train-cpu\\)`,
      ),
    );
    const readings = jsonLines(watch.stdout);
    assert.ok(readings.length > 0, 'watch printed its readings');
    assert.equal(readings[0].status, 'queued');
    assert.deepEqual(Object.keys(readings[0].counts as object).sort(), COUNT_KEYS);
    assert.ok(!('total' in readings[0]), 'counts only inside the counts object');

    const cancel = await cli('cancel', id);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, new RegExp(`sweep ${id} is cancelled: no worker had picked it up`));
    assert.equal(await storedStatus(id), 'cancelled');
    const connection = await Connection.connect({ address: session.stack.endpoints.temporalAddress });
    try {
      const client = new Client({ connection, namespace: session.stack.endpoints.namespace });
      const described = await client.workflow.getHandle(workflowId).describe();
      assert.notEqual(described.status.name, 'RUNNING');
    } finally {
      await connection.close();
    }

    worker = await spawnWorker(session.env, ['--concurrency', '2']);
    await sleep(5_000);
    assert.equal(await storedStatus(id), 'cancelled');
    assert.equal(await resultCount(session.stack.endpoints.databaseUrl, id), 0);
    const cells = await queryRows<{ n: number }>(
      session.stack.endpoints.databaseUrl,
      'SELECT count(*)::int AS n FROM sweep_cells WHERE sweep_id = $1',
      [id],
    );
    assert.equal(cells[0].n, 0, 'no worker registered its cells');
  });

  it('run --timeout --json prints the sweep id, its status and counts before exiting 1', async () => {
    // Nobody polls train-gpu: the worker registers the sweep, and it waits there.
    const specFile = writeSpec(session.dir, 'gpu-wait', {
      method: 'supervised',
      grid,
      fixed,
      resources: { queue: 'train-gpu' },
    });
    const run = await cli('run', specFile, '--no-local-worker', '--wait', '--timeout', '8s', '--json');
    assert.equal(run.code, 1, run.stderr);
    const [report, ...more] = jsonLines(run.stdout);
    assert.equal(more.length, 0);
    assert.match(String(report.sweep_id), /^gpu-wait-/);
    assert.equal(report.status, 'running');
    assert.deepEqual(report.counts, { total: 8, done: 0, cached: 0, failed: 0, pending: 8 });
    assert.match(
      run.stderr,
      /gave up after --timeout 8s: sweep \S+ is still running \(no worker polls task queue train-gpu\)/,
    );
  });

  it('every --json output stays JSON lines across a cancel mid-sweep', async () => {
    await worker?.stop();
    // Slow batches: the cancel lands while training calls are in flight.
    worker = await spawnWorker({ ...session.env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '3000' }, [
      '--concurrency',
      '2',
    ]);
    const specFile = writeSpec(session.dir, 'cancelled-mid-sweep', {
      method: 'supervised',
      grid,
      fixed: { ...fixed, steps: 401 },
      resources: { batch_size: 1, max_in_flight: 2 },
    });
    const run = startPhasesweep(['run', specFile, '--no-local-worker', '--wait', '--json'], session.env);
    let id = '';
    await waitFor('the sweep to be stored', async () => {
      const rows = await queryRows<{ id: string }>(
        session.stack.endpoints.databaseUrl,
        `SELECT id FROM sweeps WHERE name = 'cancelled-mid-sweep'`,
      );
      id = rows[0]?.id ?? '';
      return id !== '';
    });
    const watch = startPhasesweep(['watch', id, '--json'], session.env);
    try {
      await waitFor(
        'a first result',
        async () => (await resultCount(session.stack.endpoints.databaseUrl, id)) >= 1,
        90_000,
      );
      const cancel = await cli('cancel', id, '--wait', '--timeout', '60s');
      assert.equal(cancel.code, 0, cancel.stderr);
      assert.equal(await run.exited(60_000), 1, run.stderr());
      assert.equal(await watch.exited(60_000), 1, watch.stderr());
      const [report] = jsonLines(run.stdout());
      assert.equal(report.status, 'cancelled');
      const readings = jsonLines(watch.stdout());
      assert.equal(readings.at(-1)?.status, 'cancelled');
      for (const line of readings) assert.deepEqual(Object.keys(line.counts as object).sort(), COUNT_KEYS);
      for (const [what, out] of [
        ['run', run.stderr()],
        ['watch', watch.stderr()],
        ['worker', worker.output()],
      ]) {
        assert.ok(!out.includes('\u001b'), `${what} printed colour codes: ${out}`);
      }
      for (const name of ['ls', 'show']) {
        const out = await cli(name, ...(name === 'show' ? [id] : []), '--json');
        assert.equal(out.code, 0, out.stderr);
        JSON.parse(out.stdout);
      }
    } finally {
      run.kill();
      watch.kill();
    }
  });
});
