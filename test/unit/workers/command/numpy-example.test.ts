import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { PersistentProgram } from '../../../../workers/command/persistent-program.ts';
import { runAttempt, type CommandRun } from '../../../../workers/command/run-attempt.ts';
import { cellIn, EXAMPLES, scratch } from './fixtures.ts';

const numpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
const run: CommandRun = {
  argv: ['python3', 'train.py'],
  cwd: join(EXAMPLES, 'numpy-cnn'),
  env: { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  metrics: ['test_error', 'test_loss', 'train_loss'],
  timeoutMs: 120_000,
  graceMs: 2_000,
};
// Small enough to take well under a second of numpy; n * SNR^3 = 64 puts it in the benign phase.
const params = { n_labels: 64, snr: 1, d: 50, steps: 200, n_test: 200 };

test(
  'the numpy CNN example: one process per cell, persistent mode and a resumed attempt give the same result',
  { skip: numpy ? false : 'python3 with numpy is not installed' },
  async () => {
    const dir = await scratch();
    const once = await runAttempt(run, cellIn(dir, { params, seed: 2 }), { attemptDir: join(dir, 'a1') });
    assert.equal(once.outcome.kind, 'done', once.outcome.message + once.logTail);
    assert.equal(once.outcome.metrics!.test_error, 0);
    assert.ok(once.checkpoint, 'it wrote checkpoints');
    const resumed = await runAttempt(
      run,
      cellIn(dir, { params, seed: 2, attempt: 2, resumeFrom: once.checkpoint, outDir: join(dir, 'out2') }),
      { attemptDir: join(dir, 'a2') },
    );
    assert.deepEqual(resumed.outcome.metrics, once.outcome.metrics);
    const persistent = new PersistentProgram(run, { slotDir: join(dir, 'slot') });
    try {
      for (const seed of [2, 2]) {
        const report = await persistent.runCell(cellIn(dir, { cellKey: `p${seed}`, params, seed }));
        assert.deepEqual(report.outcome.metrics, once.outcome.metrics);
      }
      assert.equal(persistent.starts, 1);
    } finally {
      await persistent.close();
    }
  },
);
