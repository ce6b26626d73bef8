// Scenario 2: a worker host cut off from the network (its link down) mid-sweep for three heartbeat
// timeouts (the workers' --heartbeat-timeout: the spec sets none), then restored. Its batch is retried on another host; when it comes back, its late
// completion is refused by Temporal and its late writes are no-ops, so verify finds one result per cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectClient } from '../../client/connect.ts';
import { awaitSweep } from '../../client/await-sweep.ts';
import { runPhasesweep } from '../helpers/stack.ts';
import { waitFor, writeSpec } from '../helpers/sweeps.ts';
import { assertComplete, pacedSpec, sweepIdOf } from '../helpers/faults.ts';
import { useCluster } from './harness/scenario.ts';
import { workerIdOf } from './harness/per-host.ts';

const TOTAL = 60;
const HEARTBEAT_TIMEOUT_S = 5;
// temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT
const TIMEOUT_TYPE_HEARTBEAT = 4;

const scenario = useCluster({
  workerArgs: ['--heartbeat-timeout', `${HEARTBEAT_TIMEOUT_S}s`],
  workerEnv: { PHASESWEEP_FAULT_BATCH_DELAY_MS: '2000' },
});

test(
  'a host cut off longer than the heartbeat timeout: its batch runs elsewhere, verify OK',
  { timeout: 300_000 },
  async (t) => {
    const { cluster } = scenario;
    if (cluster.network.reason) {
      t.skip(`partition scenario skipped: ${cluster.network.reason}`);
      return;
    }
    const cutHost = cluster.hosts[2];
    const cutId = workerIdOf(cutHost.worker!);
    const spec = pacedSpec(TOTAL, { resources: { batch_size: 2, max_in_flight: 3 } });
    const run = await runPhasesweep(
      ['run', writeSpec(cluster.dir, 'partition', spec), '--json'],
      cluster.env,
    );
    const sweepId = await sweepIdOf(run);
    const workflowId = String((JSON.parse(run.stdout) as { workflow_id: string }).workflow_id);
    const { client, close } = await connectClient(cluster.temporalAddress, 'default');
    try {
      const handle = client.workflow.getHandle(workflowId);
      await waitFor('a batch running on the host to cut', async () => {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        return pending.some((a) => a.activityType?.name === 'trainBatch' && a.lastWorkerIdentity === cutId);
      });
      cutHost.cut();
      await sleep(3 * HEARTBEAT_TIMEOUT_S * 1000);
      cutHost.restore();

      const end = await awaitSweep(handle);
      assert.equal(end.outcome, 'finished', JSON.stringify(end));
      const events = (await handle.fetchHistory()).events ?? [];
      const retried = events
        .map((e) => e.activityTaskStartedEventAttributes)
        .filter((a) => a?.lastFailure?.timeoutFailureInfo?.timeoutType === TIMEOUT_TYPE_HEARTBEAT);
      assert.ok(retried.length > 0, 'a batch was retried after a heartbeat timeout');
      for (const a of retried) assert.notEqual(a!.identity, cutId, 'the retry ran on another host');
      assert.ok(
        cutHost.worker!.child.exitCode === null,
        `the cut-off worker rode it out:\n${cutHost.worker!.output()}`,
      );
      await assertComplete(cluster.env, cluster.databaseUrl, sweepId, TOTAL);
    } finally {
      await close();
    }
  },
);
