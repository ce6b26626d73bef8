// The Temporal dev server SIGKILLed mid-sweep and restarted on the same database file: the sweep
// resumes from its persisted history and completes, every cell stored once. About 30 s.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readState } from '../../infra/local/state.ts';
import { awaitSweep } from '../../client/await-sweep.ts';
import { connectClient } from '../../client/connect.ts';
import type { SweepHandle } from '../../client/start-sweep.ts';
import { runPhasesweep, startTestStack } from '../helpers/stack.ts';
import { resultCount, spawnWorker, stackEnv, waitFor, writeSpec } from '../integration/sweep-helpers.ts';
import { assertComplete, killTemporal, pacedSpec, restartTemporal, sweepIdOf } from './fault-helpers.ts';

const TOTAL = 60;

let stack: Awaited<ReturnType<typeof startTestStack>>;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phasesweep-faults-temporal-'));
  stack = await startTestStack();
});

after(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test(
  'Temporal killed and restarted on the same db file mid-sweep: the sweep completes',
  { timeout: 180_000 },
  async () => {
    const env = stackEnv(stack.endpoints, stack.home);
    const db = stack.endpoints.databaseUrl;
    const worker = await spawnWorker({ ...env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '500' });
    try {
      const run = await runPhasesweep(
        ['run', writeSpec(dir, 'temporal-restart', pacedSpec(TOTAL)), '--json'],
        env,
      );
      const sweepId = await sweepIdOf(run);
      const workflowId = String((JSON.parse(run.stdout) as { workflow_id: string }).workflow_id);
      await waitFor('some results', async () => (await resultCount(db, sweepId)) >= 6);

      const portBefore = readState(stack.home).temporal?.port;
      await killTemporal(stack.home);
      const atKill = await resultCount(db, sweepId);
      assert.ok(atKill < TOTAL, `killed mid-sweep (${atKill} of ${TOTAL} stored)`);
      await restartTemporal(stack.home);
      assert.equal(readState(stack.home).temporal?.port, portBefore, 'restarted on the same port');

      const { client, close } = await connectClient(
        stack.endpoints.temporalAddress,
        stack.endpoints.namespace,
      );
      try {
        const handle: SweepHandle = client.workflow.getHandle(workflowId);
        const end = await awaitSweep(handle);
        assert.equal(end.outcome, 'finished', JSON.stringify(end));
        assert.equal(end.outcome === 'finished' && end.summary.status, 'completed');
      } finally {
        await close();
      }
      assert.ok(worker.child.exitCode === null, `the worker rode out the outage:\n${worker.output()}`);
      await assertComplete(env, db, sweepId, TOTAL);
    } finally {
      await worker.stop();
    }
  },
);
