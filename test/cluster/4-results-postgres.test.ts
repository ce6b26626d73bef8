// Scenario 4: the results Postgres stopped mid-sweep and started again on the same data: workers on
// every host wait it out and the sweep completes, one result per cell.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { runPhasesweep } from '../helpers/stack.ts';
import { resultCount, waitFor, writeSpec } from '../integration/sweep-helpers.ts';
import { assertComplete, pacedSpec, sweepIdOf } from '../faults/fault-helpers.ts';
import { startCluster, type Cluster } from './harness/cluster.ts';

const TOTAL = 90;

let cluster: Cluster;

before(async () => {
  cluster = await startCluster();
  for (const host of cluster.hosts) {
    await host.startWorker(['--concurrency', '1'], { PHASESWEEP_FAULT_BATCH_DELAY_MS: '1000' });
  }
});

after(async () => {
  await cluster?.stop();
});

test('the results Postgres restarted mid-sweep: verify OK', { timeout: 300_000 }, async () => {
  const file = writeSpec(
    cluster.dir,
    'results-pg',
    pacedSpec(TOTAL, { resources: { batch_size: 2, max_in_flight: 3 } }),
  );
  const sweepId = await sweepIdOf(await runPhasesweep(['run', file, '--json'], cluster.env));
  await waitFor('some results', async () => (await resultCount(cluster.databaseUrl, sweepId)) >= 6);
  await cluster.resultsPostgres.stop();
  await sleep(10_000);
  await cluster.resultsPostgres.start();
  const atRestart = await resultCount(cluster.databaseUrl, sweepId);
  assert.ok(atRestart < TOTAL, `restarted mid-sweep (${atRestart} of ${TOTAL} stored)`);

  const run = await runPhasesweep(['run', file, '--wait', '--json'], cluster.env, 240_000);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(
    (JSON.parse(run.stdout) as { sweep_id: string }).sweep_id,
    sweepId,
    'attached to the same sweep',
  );
  for (const host of cluster.hosts) {
    assert.ok(
      host.worker!.child.exitCode === null,
      `host ${host.index}'s worker rode it out:\n${host.worker!.output()}`,
    );
  }
  await assertComplete(cluster.env, cluster.databaseUrl, sweepId, TOTAL);
});
