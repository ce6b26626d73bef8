// A worker SIGKILLed while one cell of a persistent batch hangs, after the batch's other cells finished:
// those were stored as they finished (their results wait at most a moment to share a write), the next
// worker trains only the hung cell, and every cell is stored once. About 40 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { runPhasesweep } from '../helpers/stack.ts';
import { queryRows, spawnWorker } from '../helpers/sweeps.ts';
import { assertComplete, assertWorkflowCompleted, faultStack, sweepIdOf } from '../helpers/faults.ts';
import { alive, commandSpec, lines, until } from '../helpers/command-faults.ts';

const FAST = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const f = faultStack('command-batch-kill');

interface Stored {
  cell_key: string;
  case: string;
  worker_id: string | null;
}

const stored = (sweepId: string) =>
  queryRows<Stored>(
    f.databaseUrl,
    `SELECT c.cell_key, c.params->>'case' AS case, r.worker_id
       FROM sweep_cells c LEFT JOIN results r USING (cell_key) WHERE c.sweep_id = $1 ORDER BY c.ordinal`,
    [sweepId],
  );

test(
  'a worker SIGKILLed mid-batch: the cells that finished stay stored, only the rest is trained again',
  { timeout: 240_000 },
  async () => {
    const runs = join(f.dir, 'batch.runs');
    const pidsFile = join(f.dir, 'batch.pids');
    const release = join(f.dir, 'batch.release');
    const spec = commandSpec(
      f.dir,
      'batch-killed',
      {
        argv: ['sh', 'batch-hang.sh'],
        metrics: ['loss'],
        code: ['batch-hang.sh'],
        persistent: true,
        grace: '1s',
        timeout: '10m',
        env: { RUNS_FILE: runs, PIDS_FILE: pidsFile, RELEASE_FILE: release },
      },
      // One batch; a lost one is retried elsewhere once its heartbeat times out.
      { grid: { case: [...FAST, 'hang'] }, resources: { heartbeat_timeout: '3s', batch_size: 16 } },
    );
    // Two slots: the hung cell holds one, the others pass through the other.
    const first = await spawnWorker(f.env, ['--concurrency', '2']);
    let second: Awaited<ReturnType<typeof spawnWorker>> | undefined;
    try {
      const run = await runPhasesweep(['run', spec, '--json'], f.env);
      const sweepId = await sweepIdOf(run);
      const workflowId = String((JSON.parse(run.stdout) as { workflow_id: string }).workflow_id);
      const [hungPid] = await until('the hung cell started', 60_000, async () => {
        const pids = (await lines(pidsFile)).map(Number);
        return pids.length > 0 ? pids : undefined;
      });
      const fastDone = await until('the fast cells stored', 60_000, async () => {
        const rows = (await stored(sweepId)).filter((r) => r.worker_id !== null);
        return rows.length === FAST.length ? rows : undefined;
      });
      assert.deepEqual(fastDone.map((r) => r.case).sort(), FAST);
      first.child.kill('SIGKILL');
      await until('the hung program ended', 30_000, async () =>
        (await alive([hungPid])).length === 0 ? true : undefined,
      );
      writeFileSync(release, '');
      second = await spawnWorker(f.env, ['--concurrency', '2']);
      await assertWorkflowCompleted(f, workflowId);

      const cells = await stored(sweepId);
      const hung = cells.find((c) => c.case === 'hang')!;
      const given = await lines(runs);
      for (const cell of cells)
        assert.equal(
          given.filter((key) => key === cell.cell_key).length,
          cell === hung ? 2 : 1,
          `cell ${cell.case} was given to the program ${cell === hung ? 'twice' : 'once'}`,
        );
      assert.match(
        hung.worker_id!,
        new RegExp(`:${second.child.pid}:`),
        'the hung cell by the second worker',
      );
      for (const cell of fastDone) assert.match(cell.worker_id!, new RegExp(`:${first.child.pid}:`));
      await assertComplete(f.env, f.databaseUrl, sweepId, FAST.length + 1);
    } finally {
      await second?.stop();
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    }
  },
);
