import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { killTemporal, pacedSpec, restartTemporal } from '../helpers/faults.ts';
import { runPhasesweep, startPhasesweep, useTestStack } from '../helpers/stack.ts';
import {
  missingQueues,
  namesBothQueues,
  queryRows,
  spawnWorker,
  waitFor,
  writeSpec,
  type WorkerProcess,
} from '../helpers/sweeps.ts';

// `schedule trigger` and `cancel --wait` with no worker: they name the queues nobody polls (for a
// schedule, those of its stored spec: train-gpu here, not the default train-cpu) and the command that
// starts a worker; a worker started later lets them finish; --timeout ends the wait with exit 1.
// No worker runs until the second test, and none on train-gpu ever.

const NO_STACK_TRACE = /\n\s+at /;

describe('schedule trigger and cancel --wait with no worker polling', () => {
  const session = useTestStack('no-worker-schedule', async ({ dir }) => {
    const gpuSpec = writeSpec(dir, 'gpu-nightly', {
      ...pacedSpec(4),
      resources: { batch_size: 2, max_in_flight: 2, queue: 'train-gpu' },
    });
    const cpuSpec = writeSpec(dir, 'cpu-nightly', pacedSpec(4));
    for (const [name, spec] of [
      ['gpu-nightly', gpuSpec],
      ['cpu-nightly', cpuSpec],
    ]) {
      const created = await cli(['schedule', 'create', name, spec, '--cron', '0 2 * * *']);
      assert.equal(created.code, 0, created.stderr);
    }
  });
  let worker: WorkerProcess | undefined;
  const cli = (args: string[], timeoutMs = 60_000) => runPhasesweep(args, session.env, timeoutMs);
  // Slow batches keep a run open for more than one poller check (every 2 s).
  const slowWorker = () => spawnWorker({ ...session.env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '4000' });
  const stopWorker = async () => {
    await worker?.stop();
    worker = undefined;
  };
  session.onStop(stopWorker);

  it('trigger names both queues of the stored spec and the worker command, and exits 0', async () => {
    const trigger = await cli(['schedule', 'trigger', 'gpu-nightly']);
    assert.equal(trigger.code, 0, trigger.stderr);
    assert.match(trigger.stdout, /schedule gpu-nightly: triggered/);
    assert.deepEqual(missingQueues(trigger.stderr, 'train-gpu'), ['phasesweep-sweeps', 'train-gpu']);
    assert.match(trigger.stderr, /\(the run waits until one does\)/);
  });

  it('trigger --wait says so within 10 s, then ends with the run once a worker starts', async () => {
    const trigger = startPhasesweep(['schedule', 'trigger', 'cpu-nightly', '--wait'], session.env);
    try {
      await namesBothQueues(trigger, 'trigger --wait', 'train-cpu');
      worker = await slowWorker();
      const code = await trigger.exited(120_000);
      assert.equal(code, 0, trigger.stdout() + trigger.stderr());
    } finally {
      trigger.kill();
    }
    assert.match(trigger.stderr(), /a worker is polling task queue phasesweep-sweeps now: going on/);
    const sweeps = await queryRows<{ id: string; status: string }>(
      session.stack.endpoints.databaseUrl,
      `SELECT id, status FROM sweeps WHERE schedule_id = 'cpu-nightly'`,
    );
    assert.deepEqual(
      sweeps.map((s) => s.status),
      ['completed'],
    );
    assert.match(
      trigger.stdout(),
      new RegExp(`sweep ${sweeps[0]!.id} completed: 4/4 done \\(0 cached, 0 failed\\)`),
    );
  });

  it('trigger --timeout waits for the run still going (overlap skip), names only its queue, exits 1', async () => {
    const trigger = await cli(['schedule', 'trigger', 'gpu-nightly', '--timeout', '8s']);
    assert.equal(trigger.code, 1, trigger.stdout + trigger.stderr);
    assert.match(trigger.stdout, /a run is still going \(overlapping runs are skipped\): waiting for it/);
    assert.deepEqual(missingQueues(trigger.stderr, 'train-gpu'), ['train-gpu'], trigger.stderr);
    assert.match(
      trigger.stderr,
      /gave up after --timeout 8s: the run of schedule gpu-nightly is still going/,
    );
    assert.doesNotMatch(trigger.stderr, NO_STACK_TRACE);

    const bad = await cli(['schedule', 'trigger', 'gpu-nightly', '--timeout', '5 minutes']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--timeout: expected a duration such as .*got "5 minutes"/);
  });

  it('cancel --wait with no worker says so and times out; a worker started later completes the cancel', async () => {
    // The gpu run's sweep was registered by the worker and waits for a train-gpu worker.
    let sweepId = '';
    await waitFor('the gpu-nightly sweep to be registered', async () => {
      const rows = await queryRows<{ id: string }>(
        session.stack.endpoints.databaseUrl,
        `SELECT id FROM sweeps WHERE schedule_id = 'gpu-nightly' AND status = 'running'`,
      );
      sweepId = rows[0]?.id ?? '';
      return sweepId !== '';
    });
    // Temporal remembers a gone worker's polls for minutes; a restarted server knows of none.
    await stopWorker();
    await killTemporal(session.stack.home);
    await restartTemporal(session.stack.home);

    const timedOut = await cli(['cancel', sweepId, '--wait', '--timeout', '8s']);
    assert.equal(timedOut.code, 1, timedOut.stdout + timedOut.stderr);
    assert.match(timedOut.stdout, new RegExp(`cancellation requested for sweep ${sweepId}`));
    assert.deepEqual(missingQueues(timedOut.stderr, 'train-gpu'), ['phasesweep-sweeps', 'train-gpu']);
    assert.match(
      timedOut.stderr,
      new RegExp(`gave up after --timeout 8s: sweep ${sweepId} has not stopped yet`),
    );
    assert.doesNotMatch(timedOut.stderr, NO_STACK_TRACE);

    const cancel = startPhasesweep(['cancel', sweepId, '--wait'], session.env);
    try {
      await namesBothQueues(cancel, 'cancel --wait', 'train-gpu');
      worker = await slowWorker();
      const code = await cancel.exited(120_000);
      assert.equal(code, 0, cancel.stdout() + cancel.stderr());
    } finally {
      cancel.kill();
    }
    assert.match(cancel.stdout(), new RegExp(`sweep ${sweepId} is cancelled`));
    const [row] = await queryRows<{ status: string }>(
      session.stack.endpoints.databaseUrl,
      'SELECT status FROM sweeps WHERE id = $1',
      [sweepId],
    );
    assert.equal(row?.status, 'cancelled');
  });
});
