// Scenario 6: every worker host restarted in turn (graceful stop, new worker, next host) during a
// sweep: the sweep never stops making progress and ends with one result per cell.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runPhasesweep } from '../helpers/stack.ts';
import { resultCount, waitFor, writeSpec } from '../integration/sweep-helpers.ts';
import { assertComplete, pacedSpec, sweepIdOf } from '../faults/fault-helpers.ts';
import { startCluster, stopWorker, type Cluster } from './harness/cluster.ts';

const TOTAL = 120;
const WORKER_ENV = { PHASESWEEP_FAULT_BATCH_DELAY_MS: '1000' };

let cluster: Cluster;

before(async () => {
  cluster = await startCluster();
  for (const host of cluster.hosts) await host.startWorker(['--concurrency', '1'], WORKER_ENV);
});

after(async () => {
  await cluster?.stop();
});

test('a rolling restart of every worker host mid-sweep: verify OK', { timeout: 300_000 }, async () => {
  const spec = pacedSpec(TOTAL, { resources: { batch_size: 2, max_in_flight: 3, heartbeat_timeout: 10 } });
  const file = writeSpec(cluster.dir, 'rolling', spec);
  const sweepId = await sweepIdOf(await runPhasesweep(['run', file, '--json'], cluster.env));
  for (const host of cluster.hosts) {
    const stored = await resultCount(cluster.databaseUrl, sweepId);
    await waitFor(
      'progress before the next restart',
      async () => (await resultCount(cluster.databaseUrl, sweepId)) > stored,
    );
    await stopWorker(host.worker!);
    await host.startWorker(['--concurrency', '1'], WORKER_ENV);
  }
  const restartedAt = await resultCount(cluster.databaseUrl, sweepId);
  assert.ok(restartedAt < TOTAL, `every host restarted mid-sweep (${restartedAt} of ${TOTAL} stored)`);
  const run = await runPhasesweep(['run', file, '--wait', '--json'], cluster.env, 240_000);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal((JSON.parse(run.stdout) as { status: string }).status, 'completed');
  await assertComplete(cluster.env, cluster.databaseUrl, sweepId, TOTAL);
});
