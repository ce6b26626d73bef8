// Scenario 3: the history service SIGKILLed mid-sweep and restarted, then matching: each sweep
// completes with verify OK.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { runPhasesweep } from '../helpers/stack.ts';
import { resultCount, waitFor, writeSpec } from '../integration/sweep-helpers.ts';
import { assertComplete, pacedSpec, sweepIdOf } from '../faults/fault-helpers.ts';
import { startCluster, type Cluster } from './harness/cluster.ts';
import type { Service } from './harness/temporal-services.ts';

const TOTAL = 90;
const DOWN_MS = 10_000;
// Each sweep gets its own SNR (the same cells again would all be cache hits); a completion lost with
// a service is retried after the heartbeat timeout, kept short here.
const SNR: Record<Service, number> = { history: 0.5, matching: 0.6, frontend: 0.7, worker: 0.8 };
const spec = (service: Service) =>
  pacedSpec(TOTAL, {
    grid: { snr: [SNR[service]], seed: { range: [0, TOTAL] } },
    resources: { batch_size: 2, max_in_flight: 3, heartbeat_timeout: 10 },
  });

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

// Starts a sweep, waits for a few results, SIGKILLs the service, restarts it after DOWN_MS.
async function sweepThroughKill(service: Service): Promise<string> {
  const file = writeSpec(cluster.dir, `kill-${service}`, spec(service));
  const sweepId = await sweepIdOf(await runPhasesweep(['run', file, '--json'], cluster.env));
  await waitFor('some results', async () => (await resultCount(cluster.databaseUrl, sweepId)) >= 6);
  await cluster.services[service].kill();
  const atKill = await resultCount(cluster.databaseUrl, sweepId);
  await sleep(DOWN_MS);
  await cluster.services[service].start();
  assert.ok(atKill < TOTAL, `killed mid-sweep (${atKill} of ${TOTAL} stored)`);
  return sweepId;
}

for (const service of ['history', 'matching'] as const) {
  test(
    `the ${service} service SIGKILLed mid-sweep and restarted: verify OK`,
    { timeout: 300_000 },
    async () => {
      const sweepId = await sweepThroughKill(service);
      const run = await runPhasesweep(
        ['run', writeSpec(cluster.dir, `kill-${service}`, spec(service)), '--wait', '--json'],
        cluster.env,
        240_000,
      );
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(
        (JSON.parse(run.stdout) as { sweep_id: string }).sweep_id,
        sweepId,
        'attached to the same sweep',
      );
      await assertComplete(cluster.env, cluster.databaseUrl, sweepId, TOTAL);
    },
  );
}
