// A training thread that hangs for good (PHASESWEEP_FAULT_HANG_CELLS, first attempt only) and never
// reports progress: the worker stops heartbeating that attempt, Temporal's heartbeat timeout fires,
// the batch is retried and completes, and the other batches kept going meanwhile on the same worker
// (the hang is in a thread, not on the worker's event loop). About 30 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { expandCells } from '../../sweep/cells.ts';
import { parseSpecText } from '../../sweep/spec.ts';
import { awaitSweep } from '../../client/await-sweep.ts';
import { connectClient } from '../../client/connect.ts';
import { startSweep } from '../../client/start-sweep.ts';
import { queryRows, spawnWorker } from '../helpers/sweeps.ts';
import { assertComplete, faultStack, pacedSpec } from '../helpers/faults.ts';

const TOTAL = 20;
const HEARTBEAT_TIMEOUT_MS = 2_000;
// temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT
const TIMEOUT_TYPE_HEARTBEAT = 4;

const f = faultStack('hang');

test(
  'a hung trainer times out on heartbeats and is retried; other batches go on',
  { timeout: 180_000 },
  async () => {
    const { env, databaseUrl: db } = f;
    const spec = parseSpecText(stringify({ name: 'hung-trainer', ...pacedSpec(TOTAL) }), 'hung-trainer.yaml');
    const hungKey = expandCells(spec)[0].key;
    const worker = await spawnWorker({
      ...env,
      PHASESWEEP_FAULT_BATCH_DELAY_MS: '300',
      PHASESWEEP_FAULT_HANG_CELLS: hungKey,
    });
    const { client, close } = await connectClient(
      f.stack.endpoints.temporalAddress,
      f.stack.endpoints.namespace,
    );
    try {
      const started = await startSweep(client, spec, { heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS });
      const end = await awaitSweep(started.handle);
      assert.equal(end.outcome, 'finished', JSON.stringify(end));
      assert.deepEqual(end.outcome === 'finished' && [end.summary.status, end.summary.failed], [
        'completed',
        0,
      ]);

      const events = (await started.handle.fetchHistory()).events ?? [];
      const scheduled = events
        .map((e) => e.activityTaskScheduledEventAttributes)
        .filter((a) => a?.activityType?.name === 'trainBatch');
      assert.ok(scheduled.length > 0);
      for (const a of scheduled) {
        assert.equal(
          Number(a!.heartbeatTimeout?.seconds ?? 0) * 1000,
          HEARTBEAT_TIMEOUT_MS,
          'trainBatch has a heartbeat timeout',
        );
      }
      // Retried attempts show in the history only through their last failure: the batch that hung
      // completed on attempt 2 after a heartbeat timeout.
      const lastFailures = events
        .map((e) => e.activityTaskStartedEventAttributes)
        .filter((a) => a?.lastFailure)
        .map((a) => ({ attempt: a!.attempt, timeout: a!.lastFailure!.timeoutFailureInfo?.timeoutType }));
      assert.deepEqual(lastFailures, [{ attempt: 2, timeout: TIMEOUT_TYPE_HEARTBEAT }]);

      // While one batch hung, the worker trained every other batch.
      const [order] = await queryRows<{ before: number }>(
        db,
        `SELECT count(*)::int AS before FROM results r
        WHERE r.sweep_id = $1 AND r.finished_at < (SELECT finished_at FROM results WHERE cell_key = $2)`,
        [started.sweepId, hungKey],
      );
      assert.ok(order.before >= TOTAL - 2, `${order.before} results stored before the hung batch's`);
      assert.ok(worker.child.exitCode === null, `the worker is still up:\n${worker.output()}`);
      await assertComplete(env, db, started.sweepId, TOTAL);
    } finally {
      await close();
      await worker.stop();
    }
  },
);
