import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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

// With no worker, waiting commands say so (naming the command that starts one) instead of hanging
// silently; a worker started later lets the sweep finish; --timeout ends the wait with exit 1. The
// train-gpu sweeps have a worker on the workflow queue (a train-cpu worker) but none on their own.

describe('waiting with no worker polling', () => {
  const session = useTestStack('no-worker');
  let worker: WorkerProcess | undefined;
  // Long enough (several seconds of training) for the notice that a worker appeared to come first.
  const grid = { n_labels: [4, 8], snr: [0.5, 1.0], seed: { range: [0, 2] } };
  const fixed = { d: 50, m: 10, q: 3, sigma0: 0.01, lr: 1.0, steps: 1500, n_test: 100 };
  const gpuSpec = () =>
    // Other steps than `lonely`: its cells must not be cache hits.
    writeSpec(session.dir, 'gpu-only', {
      method: 'supervised',
      grid,
      fixed: { ...fixed, steps: 1501 },
      resources: { queue: 'train-gpu' },
    });

  session.onStop(() => worker?.stop());

  it('run --no-local-worker --wait names both queues within 10 s, then finishes once a worker starts', async () => {
    const specFile = writeSpec(session.dir, 'lonely', { method: 'supervised', grid, fixed });
    const run = startPhasesweep(['run', specFile, '--no-local-worker', '--wait', '--json'], session.env);
    try {
      await namesBothQueues(run, 'run', 'train-cpu');
      // Slow batches keep the sweep open for more than one poller check (every 2 s), so the check can
      // see the new worker before the sweep ends; on a quiet machine the 8 cells otherwise finish first.
      worker = await spawnWorker({ ...session.env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '4000' }, [
        '--concurrency',
        '2',
      ]);
      assert.equal(await run.exited(120_000), 0, run.stderr());
      assert.match(run.stderr(), /a worker is polling task queue phasesweep-sweeps now: going on/);
      assert.equal((JSON.parse(run.stdout()) as { status: string }).status, 'completed');
    } finally {
      run.kill();
    }
  });

  it('run --timeout ends the wait with exit 1, naming only the queue nobody polls', async () => {
    const run = await runPhasesweep(
      ['run', gpuSpec(), '--no-local-worker', '--wait', '--timeout', '12s'],
      session.env,
      60_000,
    );
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(missingQueues(run.stderr, 'train-gpu'), ['train-gpu'], run.stderr);
    assert.match(
      run.stderr,
      /gave up after --timeout 12s: sweep \S+ is still running \(no worker polls task queue train-gpu\)/,
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('watch says so too, and --timeout ends it with exit 1', async () => {
    let sweepId = '';
    await waitFor('the gpu-only sweep to be registered', async () => {
      const rows = await queryRows<{ id: string }>(
        session.stack.endpoints.databaseUrl,
        `SELECT id FROM sweeps WHERE name = 'gpu-only'`,
      );
      sweepId = rows[0]?.id ?? '';
      return sweepId !== '';
    });
    const watch = await runPhasesweep(['watch', sweepId, '--json', '--timeout', '10s'], session.env, 60_000);
    assert.equal(watch.code, 1, watch.stderr);
    assert.deepEqual(missingQueues(watch.stderr, 'train-gpu'), ['train-gpu'], watch.stderr);
    assert.match(
      watch.stderr,
      new RegExp(
        `gave up after --timeout 10s: sweep ${sweepId} is still running \\(no worker polls task queue train-gpu\\)`,
      ),
    );
  });

  it('a malformed --timeout is bad input (exit 2) naming the option', async () => {
    const run = await runPhasesweep(['watch', 'gpu-only', '--timeout', '5 minutes'], session.env, 60_000);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--timeout: expected a duration such as .*got "5 minutes"/);
  });
});
