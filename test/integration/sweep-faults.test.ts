// A worker process killed mid-sweep, and a sweep cancelled mid-way, on a real Temporal dev server,
// a real Postgres and real `phasesweep worker` processes. About 50 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { parseSpecText } from '../../sweep/spec.ts';
import { awaitSweep } from '../../client/await-sweep.ts';
import { connectClient } from '../../client/connect.ts';
import { startSweep } from '../../client/start-sweep.ts';
import { runPhasesweep, useTestStack } from '../helpers/stack.ts';
import { queryRows, resultCount, spawnWorker, waitFor, writeSpec } from '../helpers/sweeps.ts';

// Tiny real cells, slowed down by the worker's fault-injection delay (activities/fault-injection.ts)
// so that a sweep is still going when the test interferes, however fast the trainer is. Each test has
// its own seeds: cells shared with the other test would be cache hits.
function slow(firstSeed: number) {
  return {
    method: 'supervised',
    grid: { snr: [0.2, 0.5, 1], seed: { range: [firstSeed, firstSeed + 8] } },
    fixed: { d: 50, m: 4, steps: 200, n_test: 100, n_labels: 16 },
    resources: { batch_size: 2, max_in_flight: 2 },
  };
}
// 12 batches of 2 cells, one at a time, at least 0.6 s each.
const SLOW_WORKER = ['--concurrency', '1'];
const DELAY = { PHASESWEEP_FAULT_BATCH_DELAY_MS: '600' };
// Cancelling must land while cells are still left: slower batches leave room for a loaded machine,
// where starting the cancel command alone can take seconds.
const CANCEL_DELAY = { PHASESWEEP_FAULT_BATCH_DELAY_MS: '2000' };
const TOTAL = 24;

// A hang (a sweep that never ends) fails its test instead of stalling the suite.
const TEST_TIMEOUT_MS = 240_000;

const session = useTestStack('sweep-faults');

test(
  'a worker killed mid-sweep: a new worker finishes it, no cell missing or stored twice',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const spec = parseSpecText(stringify({ name: 'killed', ...slow(0) }), 'killed.yaml');
    const first = await spawnWorker({ ...session.env, ...DELAY }, SLOW_WORKER);
    const { client, close } = await connectClient(
      session.stack.endpoints.temporalAddress,
      session.stack.endpoints.namespace,
    );
    try {
      // A short heartbeat timeout so that the dead worker's batches are retried within seconds.
      const started = await startSweep(client, spec, { heartbeatTimeoutMs: 3000 });
      await waitFor(
        'some results',
        async () => (await resultCount(session.stack.endpoints.databaseUrl, started.sweepId)) >= 4,
      );
      first.child.kill('SIGKILL');
      await first.stop();
      const before = await resultCount(session.stack.endpoints.databaseUrl, started.sweepId);
      assert.ok(before < TOTAL, `killed mid-sweep (${before} of ${TOTAL} stored)`);

      const second = await spawnWorker({ ...session.env, ...DELAY }, SLOW_WORKER);
      try {
        const end = await awaitSweep(started.handle);
        assert.equal(end.outcome, 'finished');
        assert.equal(end.outcome === 'finished' && end.summary.status, 'completed');
      } finally {
        assert.equal(await second.stop(), 0, 'SIGTERM stops a worker gracefully');
      }
      const verify = await runPhasesweep(['verify', started.sweepId, '--json'], session.env);
      assert.equal(verify.code, 0, verify.stdout);
      assert.deepEqual(JSON.parse(verify.stdout), {
        sweep_id: started.sweepId,
        status: 'completed',
        counts: { total: TOTAL, done: TOTAL, cached: 0, failed: 0, pending: 0 },
        ok: true,
      });
      const byWorker = await queryRows<{ worker_id: string; n: number }>(
        session.stack.endpoints.databaseUrl,
        'SELECT worker_id, count(*)::int AS n FROM results WHERE sweep_id = $1 GROUP BY worker_id',
        [started.sweepId],
      );
      assert.equal(byWorker.length, 2, 'both workers stored results');
      assert.equal(
        byWorker.reduce((s, r) => s + r.n, 0),
        TOTAL,
      );
    } finally {
      await close();
    }
  },
);

test(
  'cancel mid-way keeps finished results; running the spec again trains only the rest',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const spec = writeSpec(session.dir, 'cancelled', slow(100));
    const worker = await spawnWorker({ ...session.env, ...CANCEL_DELAY }, SLOW_WORKER);
    try {
      const started = await runPhasesweep(['run', spec, '--json'], session.env);
      assert.equal(started.code, 0, started.stderr);
      const sweepId = String((JSON.parse(started.stdout) as { sweep_id: string }).sweep_id);
      await waitFor(
        'some results',
        async () => (await resultCount(session.stack.endpoints.databaseUrl, sweepId)) >= 4,
      );

      const cancel = await runPhasesweep(['cancel', sweepId, '--wait'], session.env);
      assert.equal(cancel.code, 0, cancel.stderr);
      assert.match(cancel.stdout, new RegExp(`sweep ${sweepId} is cancelled`));
      const kept = await resultCount(session.stack.endpoints.databaseUrl, sweepId);
      assert.ok(kept >= 4 && kept < TOTAL, `results kept: ${kept} of ${TOTAL}`);
      const verify = await runPhasesweep(['verify', sweepId], session.env);
      assert.equal(verify.code, 1, 'a cancelled sweep has missing cells');

      const rerun = await runPhasesweep(['run', spec, '--wait', '--json'], session.env, 180_000);
      assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
      const report = JSON.parse(rerun.stdout) as {
        sweep_id: string;
        status: string;
        counts: { total: number; done: number; cached: number };
      };
      assert.notEqual(report.sweep_id, sweepId);
      assert.equal(report.status, 'completed');
      assert.equal(report.counts.total, TOTAL);
      assert.equal(report.counts.done, TOTAL);
      // Batches still finishing when the cancel arrived may have stored a few more results after `kept`
      // was counted: they are cache hits too.
      const { cached } = report.counts;
      assert.ok(cached >= kept, `cached ${cached} >= kept ${kept}`);
      const trained = await queryRows<{ n: number }>(
        session.stack.endpoints.databaseUrl,
        'SELECT count(*)::int AS n FROM results WHERE sweep_id = $1',
        [report.sweep_id],
      );
      assert.equal(trained[0].n, TOTAL - cached, 'the re-run trained only the cells without a result');
    } finally {
      await worker.stop();
    }
  },
);
