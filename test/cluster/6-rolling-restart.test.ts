// Scenario 6: every worker host restarted in turn (graceful stop, new worker, next host) during a
// sweep: the sweep never stops making progress and ends with one result per cell.
import { test } from 'node:test';
import { resultCount, waitFor, writeSpec } from '../helpers/sweeps.ts';
import { pacedSpec } from '../helpers/faults.ts';
import { stopWorker } from './harness/cluster.ts';
import { WORKER_ARGS, disruptMidSweep, watchToCompletion, useCluster } from './harness/scenario.ts';

const TOTAL = 120;
const WORKER_ENV = { PHASESWEEP_FAULT_BATCH_DELAY_MS: '1000' };

const scenario = useCluster({ workerEnv: WORKER_ENV });

test('a rolling restart of every worker host mid-sweep: verify OK', { timeout: 300_000 }, async () => {
  const { cluster } = scenario;
  const spec = pacedSpec(TOTAL, { resources: { batch_size: 2, max_in_flight: 3, heartbeat_timeout: 10 } });
  const file = writeSpec(cluster.dir, 'rolling', spec);
  const sweepId = await disruptMidSweep(cluster, file, TOTAL, async (id) => {
    for (const host of cluster.hosts) {
      const stored = await resultCount(cluster.databaseUrl, id);
      await waitFor(
        'progress before the next restart',
        async () => (await resultCount(cluster.databaseUrl, id)) > stored,
      );
      await stopWorker(host.worker!);
      await host.startWorker(WORKER_ARGS, WORKER_ENV);
    }
  });
  await watchToCompletion(cluster, sweepId, TOTAL);
});
