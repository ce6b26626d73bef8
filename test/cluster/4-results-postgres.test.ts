// Scenario 4: the results Postgres stopped mid-sweep and started again on the same data: workers on
// every host wait it out and the sweep completes, one result per cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeSpec } from '../helpers/sweeps.ts';
import { pacedSpec } from '../helpers/faults.ts';
import { disruptMidSweep, watchToCompletion, useCluster } from './harness/scenario.ts';

const TOTAL = 90;

const scenario = useCluster({ workerEnv: { PHASESWEEP_FAULT_BATCH_DELAY_MS: '1000' } });

test('the results Postgres restarted mid-sweep: verify OK', { timeout: 300_000 }, async () => {
  const { cluster } = scenario;
  const file = writeSpec(
    cluster.dir,
    'results-pg',
    pacedSpec(TOTAL, { resources: { batch_size: 2, max_in_flight: 3 } }),
  );
  const sweepId = await disruptMidSweep(cluster, file, TOTAL, async () => {
    await cluster.resultsPostgres.stop();
    await sleep(10_000);
    await cluster.resultsPostgres.start();
  });
  await watchToCompletion(cluster, sweepId, TOTAL);
  for (const host of cluster.hosts) {
    assert.ok(
      host.worker!.child.exitCode === null,
      `host ${host.index}'s worker rode it out:\n${host.worker!.output()}`,
    );
  }
});
