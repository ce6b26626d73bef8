// Scenario 1: the default grid (140 cells) and a 420-cell grid trained on three worker hosts of a
// multi-service Temporal cluster on Postgres; every host trains a share and `verify` passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPhasesweep } from '../helpers/stack.ts';
import { writeSpec } from '../helpers/sweeps.ts';
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
