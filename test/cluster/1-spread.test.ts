// Scenario 1: the default grid (140 cells) and a 420-cell grid trained on three worker hosts of a
// multi-service Temporal cluster on Postgres; every host trains a share and `verify` passes. And a
// `method: command` sweep, the repo's minimal example program run by the worker hosts.
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { runPhasesweep } from '../helpers/stack.ts';
import { queryRows, writeSpec } from '../helpers/sweeps.ts';
import { assertComplete, sweepIdOf } from '../helpers/faults.ts';
import { useCluster } from './harness/scenario.ts';
import { trainedByWorker, workerIdOf } from './harness/per-host.ts';
import { defaultGrid } from './harness/specs.ts';

const scenario = useCluster();

for (const [label, seeds, total] of [
  ['the default grid', [0, 2], 140],
  ['a 420-cell grid', [2, 8], 420],
] as const) {
  test(`${label} on three worker hosts: every host trains, verify OK`, { timeout: 600_000 }, async () => {
    const { cluster } = scenario;
    const spec = writeSpec(cluster.dir, `spread-${total}`, defaultGrid(seeds));
    const run = await runPhasesweep(['run', spec, '--wait', '--json'], cluster.env, 540_000);
    const sweepId = await sweepIdOf(run);
    assert.equal((JSON.parse(run.stdout) as { status: string }).status, 'completed');
    await assertComplete(cluster.env, cluster.databaseUrl, sweepId, total);

    const counts = await trainedByWorker(cluster.databaseUrl, sweepId);
    const perHost = cluster.hosts.map((h) => counts.get(workerIdOf(h.worker!)) ?? 0);
    console.log(`# ${label}: cells trained per host ${perHost.join(' / ')} (total ${total})`);
    assert.equal(
      perHost.reduce((a, b) => a + b, 0),
      total,
      'every result came from one of the three hosts',
    );
    for (const [i, n] of perHost.entries())
      assert.ok(n > 0, `host ${i} trained no cell: ${perHost.join(' / ')}`);
  });
}

// The minimal example (a shell script halving a loss): the program is a file of the repo, which the
// worker hosts (network namespaces, the same file system) reach by the spec's cwd.
const MINIMAL = fileURLToPath(new URL('../../examples/command/minimal/spec.yaml', import.meta.url));

test(
  'a method: command sweep on the worker hosts: every cell has the program result, verify OK',
  { timeout: 300_000 },
  async () => {
    const { cluster } = scenario;
    const run = await runPhasesweep(['run', MINIMAL, '--wait', '--json'], cluster.env, 240_000);
    const sweepId = await sweepIdOf(run);
    assert.equal((JSON.parse(run.stdout) as { status: string }).status, 'completed');
    // 3 learning rates x 2 seeds
    await assertComplete(cluster.env, cluster.databaseUrl, sweepId, 6);
    const hosts = new Set(cluster.hosts.map((h) => workerIdOf(h.worker!)));
    const rows = await queryRows<{
      params: { lr: number; seed: number };
      metrics: { loss: number };
      worker_id: string;
    }>(
      cluster.databaseUrl,
      `SELECT c.params, r.metrics, r.worker_id FROM sweep_cells c JOIN results r USING (cell_key)
     WHERE c.sweep_id = $1`,
      [sweepId],
    );
    assert.equal(rows.length, 6);
    for (const { params, metrics, worker_id } of rows) {
      assert.ok(hosts.has(worker_id), `${worker_id} is one of the worker hosts`);
      // train.sh: five steps of loss * (1 - lr) + seed / 1000 from 1, printed by awk to 6 digits
      let loss = 1;
      for (let step = 0; step < 5; step++) loss = loss * (1 - params.lr) + params.seed / 1000;
      assert.ok(
        Math.abs(metrics.loss - loss) <= 1e-5 * Math.max(1, Math.abs(loss)),
        `${JSON.stringify(params)}: ${metrics.loss} vs ${loss}`,
      );
    }
  },
);
