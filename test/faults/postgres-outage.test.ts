// Postgres stopped (fast shutdown) for about 20 s mid-sweep, then started on the same port: the
// activities wait it out with backoff and the sweep completes with every cell stored once, none
// turned into a failure. About 45 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { resultCount, spawnWorker } from '../helpers/sweeps.ts';
import {
  assertComplete,
  assertWorkflowCompleted,
  faultStack,
  restartStackPostgres,
  startPacedSweep,
  stopStackPostgres,
} from '../helpers/faults.ts';

const TOTAL = 60;
const OUTAGE_MS = 20_000;

const f = faultStack('postgres');

test(
  'Postgres down for 20 s mid-sweep: the sweep completes, nothing lost or duplicated',
  { timeout: 240_000 },
  async () => {
    const worker = await spawnWorker({ ...f.env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '500' });
    try {
      const { sweepId, workflowId } = await startPacedSweep(f, 'postgres-outage', TOTAL);

      await stopStackPostgres(f.stack.home);
      await sleep(OUTAGE_MS);
      await restartStackPostgres(f.stack.home);
      const afterOutage = await resultCount(f.databaseUrl, sweepId);
      assert.ok(afterOutage < TOTAL, `stopped mid-sweep (${afterOutage} of ${TOTAL} stored)`);

      await assertWorkflowCompleted(f, workflowId);
      assert.ok(worker.child.exitCode === null, `the worker rode out the outage:\n${worker.output()}`);
      await assertComplete(f.env, f.databaseUrl, sweepId, TOTAL);
    } finally {
      await worker.stop();
    }
  },
);
