// Postgres stopped (fast shutdown) for about 20 s mid-sweep, then started on the same port: the
// activities wait it out with backoff and the sweep completes with every cell stored once, none
// turned into a failure. About 45 s.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { awaitSweep } from '../../client/await-sweep.ts';
import { connectClient } from '../../client/connect.ts';
import type { SweepHandle } from '../../client/start-sweep.ts';
import { runPhasesweep, startTestStack } from '../helpers/stack.ts';
import { resultCount, spawnWorker, stackEnv, waitFor, writeSpec } from '../integration/sweep-helpers.ts';
import {
  assertComplete,
  pacedSpec,
  restartStackPostgres,
  stopStackPostgres,
  sweepIdOf,
} from './fault-helpers.ts';

const TOTAL = 60;
const OUTAGE_MS = 20_000;

let stack: Awaited<ReturnType<typeof startTestStack>>;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phasesweep-faults-postgres-'));
  stack = await startTestStack();
});

after(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test(
  'Postgres down for 20 s mid-sweep: the sweep completes, nothing lost or duplicated',
  { timeout: 240_000 },
  async () => {
    const env = stackEnv(stack.endpoints, stack.home);
    const db = stack.endpoints.databaseUrl;
    const worker = await spawnWorker({ ...env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '500' });
    try {
      const run = await runPhasesweep(
        ['run', writeSpec(dir, 'postgres-outage', pacedSpec(TOTAL)), '--json'],
        env,
      );
      const sweepId = await sweepIdOf(run);
      const workflowId = String((JSON.parse(run.stdout) as { workflow_id: string }).workflow_id);
      await waitFor('some results', async () => (await resultCount(db, sweepId)) >= 6);

      await stopStackPostgres(stack.home);
      await sleep(OUTAGE_MS);
      await restartStackPostgres(stack.home);
      const afterOutage = await resultCount(db, sweepId);
      assert.ok(afterOutage < TOTAL, `stopped mid-sweep (${afterOutage} of ${TOTAL} stored)`);

      const { client, close } = await connectClient(
        stack.endpoints.temporalAddress,
        stack.endpoints.namespace,
      );
      try {
        const handle: SweepHandle = client.workflow.getHandle(workflowId);
        const end = await awaitSweep(handle);
        assert.equal(end.outcome, 'finished', JSON.stringify(end));
        assert.deepEqual(end.outcome === 'finished' && [end.summary.status, end.summary.failed], [
          'completed',
          0,
        ]);
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
