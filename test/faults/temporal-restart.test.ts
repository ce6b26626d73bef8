// The Temporal dev server SIGKILLed mid-sweep and restarted on the same database file: the sweep
// resumes from its persisted history and completes, every cell stored once. About 30 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readState } from '../../infra/local/state.ts';
import { resultCount, spawnWorker } from '../helpers/sweeps.ts';
import {
  assertComplete,
  assertWorkflowCompleted,
  faultStack,
  killTemporal,
  restartTemporal,
  startPacedSweep,
} from '../helpers/faults.ts';

const TOTAL = 60;

const f = faultStack('temporal');

test(
  'Temporal killed and restarted on the same db file mid-sweep: the sweep completes',
  { timeout: 180_000 },
  async () => {
    const worker = await spawnWorker({ ...f.env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '500' });
    try {
      const { sweepId, workflowId } = await startPacedSweep(f, 'temporal-restart', TOTAL);

      const portBefore = readState(f.stack.home).temporal?.port;
      await killTemporal(f.stack.home);
      const atKill = await resultCount(f.databaseUrl, sweepId);
      assert.ok(atKill < TOTAL, `killed mid-sweep (${atKill} of ${TOTAL} stored)`);
      await restartTemporal(f.stack.home);
      assert.equal(readState(f.stack.home).temporal?.port, portBefore, 'restarted on the same port');

      await assertWorkflowCompleted(f, workflowId);
      assert.ok(worker.child.exitCode === null, `the worker rode out the outage:\n${worker.output()}`);
      await assertComplete(f.env, f.databaseUrl, sweepId, TOTAL);
    } finally {
      await worker.stop();
    }
  },
);
