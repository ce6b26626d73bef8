// Scenario 5: schedules on the cluster (create, trigger twice, drift recorded, verify OK), then the same
// CLI with Temporal's worker service down: create still succeeds and says what is missing; trigger
// fails saying what is missing, with no stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPhasesweep } from '../helpers/stack.ts';
import { queryRows, waitFor, writeSpec } from '../helpers/sweeps.ts';
import { assertComplete } from '../helpers/faults.ts';
import { useCluster } from './harness/scenario.ts';

const TOTAL = 8;
const MISSING = /Temporal's worker service is not running/;

const scenario = useCluster({ workers: 1 });
// Written when a test needs it: the cluster's directory exists only once its before() has run.
const specFile = () =>
  writeSpec(scenario.cluster.dir, 'scheduled', {
    method: 'noop',
    grid: { snr: [0.5, 1], seed: { range: [0, TOTAL / 2] } },
    resources: { batch_size: 2, max_in_flight: 2 },
  });

const cli = (...args: string[]) => runPhasesweep(args, scenario.cluster.env, 180_000);
const scheduledSweeps = (id: string) =>
  queryRows<{ id: string; status: string }>(
    scenario.cluster.databaseUrl,
    'SELECT id, status FROM sweeps WHERE schedule_id = $1 ORDER BY created_at',
    [id],
  );

test(
  'a schedule on the cluster: created, triggered twice, drift recorded, verify OK',
  { timeout: 400_000 },
  async () => {
    const { cluster } = scenario;
    const created = await cli(
      'schedule',
      'create',
      'cluster-nightly',
      specFile(),
      '--cron',
      '0 2 * * *',
      '--json',
    );
    assert.equal(created.code, 0, created.stdout + created.stderr);
    assert.ok((JSON.parse(created.stdout) as { next_run: string | null }).next_run, 'the next run is known');
    for (let run = 1; run <= 2; run++) {
      const trigger = await cli('schedule', 'trigger', 'cluster-nightly');
      assert.equal(trigger.code, 0, trigger.stdout + trigger.stderr);
      await waitFor(
        `scheduled run ${run}`,
        async () => {
          const sweeps = await scheduledSweeps('cluster-nightly');
          return sweeps.length === run && sweeps.every((s) => s.status === 'completed');
        },
        180_000,
      );
    }
    const [first, second] = await scheduledSweeps('cluster-nightly');
    await waitFor('the drift record', async () => {
      const rows = await queryRows(cluster.databaseUrl, 'SELECT 1 FROM sweep_drift WHERE sweep_id = $1', [
        second.id,
      ]);
      return rows.length === 1;
    });
    const [drift] = await queryRows<{ baseline_sweep_id: string; compared: number }>(
      cluster.databaseUrl,
      'SELECT baseline_sweep_id, compared FROM sweep_drift WHERE sweep_id = $1',
      [second.id],
    );
    // Grid points are the SNR values (seeds are what a point's mean and CI are taken over).
    assert.deepEqual(drift, { baseline_sweep_id: first.id, compared: 2 });
    for (const sweep of [first, second])
      await assertComplete(cluster.env, cluster.databaseUrl, sweep.id, TOTAL);
  },
);

test(
  'with the worker service down, create succeeds and warns; trigger fails; both say what is missing',
  { timeout: 400_000 },
  async () => {
    const { cluster } = scenario;
    await cluster.services.worker.stop();
    try {
      const created = await cli('schedule', 'create', 'cluster-orphan', specFile(), '--cron', '0 3 * * *');
      assert.equal(created.code, 0, `the schedule was created: ${created.stdout}${created.stderr}`);
      assert.match(created.stdout, /schedule cluster-orphan created/);
      assert.match(created.stderr, MISSING);

      const trigger = await cli('schedule', 'trigger', 'cluster-nightly');
      assert.equal(trigger.code, 1, trigger.stdout + trigger.stderr);
      assert.match(trigger.stderr, MISSING);
      for (const out of [created, trigger]) assert.doesNotMatch(out.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await cluster.services.worker.start();
    }
    const ls = JSON.parse((await cli('schedule', 'ls', '--json')).stdout) as { schedule_id: string }[];
    assert.deepEqual(ls.map((s) => s.schedule_id).sort(), ['cluster-nightly', 'cluster-orphan']);
  },
);
