// A worker SIGKILLed while a `method: command` cell runs (a three-level tree deaf to SIGTERM): no process
// of the tree keeps running past grace + 2 s, and the cell is trained once more by another worker and
// stored once. About 30 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPhasesweep } from '../helpers/stack.ts';
import { queryRows, spawnWorker } from '../helpers/sweeps.ts';
import { assertComplete, assertWorkflowCompleted, faultStack, sweepIdOf } from '../helpers/faults.ts';
import { alive, commandSpec, lines, until } from '../helpers/command-faults.ts';

const GRACE_MS = 1_000;
const SLACK_MS = 2_000;

const f = faultStack('command-kill');

test(
  'a worker SIGKILLed mid-cell: no orphan keeps running; another worker trains the cell, stored once',
  { timeout: 240_000 },
  async () => {
    const pidsFile = join(f.dir, 'killed.pids');
    const release = join(f.dir, 'killed.release');
    const spec = commandSpec(
      f.dir,
      'worker-killed',
      {
        argv: ['sh', 'tree-hang.sh'],
        metrics: ['loss'],
        code: ['tree-hang.sh'],
        grace: `${GRACE_MS}ms`,
        timeout: '10m',
        env: { PIDS_FILE: pidsFile, RELEASE_FILE: release },
      },
      // A lost batch is retried elsewhere once its heartbeat times out.
      { grid: { case: ['killed'] }, resources: { heartbeat_timeout: '3s' } },
    );
    const first = await spawnWorker(f.env, ['--concurrency', '1']);
    let second: Awaited<ReturnType<typeof spawnWorker>> | undefined;
    try {
      const run = await runPhasesweep(['run', spec, '--json'], f.env);
      const sweepId = await sweepIdOf(run);
      const workflowId = String((JSON.parse(run.stdout) as { workflow_id: string }).workflow_id);
      const pids = await until('the tree started', 60_000, async () => {
        const written = (await lines(pidsFile)).map(Number);
        return written.length === 3 ? written : undefined;
      });
      first.child.kill('SIGKILL');
      const killed = Date.now();
      await until('the tree ended', 60_000, async () =>
        (await alive(pids)).length === 0 ? true : undefined,
      );
      const took = Date.now() - killed;
      assert.ok(took <= GRACE_MS + SLACK_MS, `the tree ended ${took} ms after the worker was killed`);

      // From now on the program answers at once; only the second worker is there to run it.
      writeFileSync(release, '');
      second = await spawnWorker(f.env, ['--concurrency', '1']);
      await assertWorkflowCompleted(f, workflowId);
      assert.deepEqual(await lines(`${pidsFile}.runs`), ['run', 'run'], 'trained once more');
      const [stored] = await queryRows<{ worker_id: string }>(
        f.databaseUrl,
        'SELECT r.worker_id FROM sweep_cells c JOIN results r USING (cell_key) WHERE c.sweep_id = $1',
        [sweepId],
      );
      assert.match(stored.worker_id, new RegExp(`:${second.child.pid}:`), 'by the second worker');
      await assertComplete(f.env, f.databaseUrl, sweepId, 1);
    } finally {
      await second?.stop();
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    }
  },
);
