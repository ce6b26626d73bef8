import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPhasesweep, temporalBinary, useTestStack } from '../helpers/stack.ts';
import { pacedSpec } from '../helpers/faults.ts';
import { writeSpec } from '../helpers/sweeps.ts';

// The path of `demo` and of a first `run` on a laptop: no DATABASE_URL or TEMPORAL_ADDRESS, so the CLI
// finds the local stack in PHASESWEEP_HOME and trains in its own process. Its progress query goes
// unanswered while that worker starts; the command must still end cleanly when the sweep does (a call
// left in flight at close once crashed it with a stack trace after the sweep had succeeded).

const STACK_FRAME = /^\s+at /m;

describe('run on the local stack with the in-process worker', () => {
  let specFile: string;
  // The local stack is found through PHASESWEEP_HOME alone, not through stackEnv's endpoints.
  let env: NodeJS.ProcessEnv;
  const session = useTestStack('embedded', async ({ stack, dir }) => {
    env = {
      PHASESWEEP_HOME: stack.home,
      TEMPORAL_CLI: await temporalBinary(),
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      NO_COLOR: '1',
    };
    specFile = writeSpec(dir, 'embedded', {
      method: 'supervised',
      grid: { n_labels: [4], snr: [0.1, 1.0], seed: { range: [0, 2] } },
      fixed: { d: 50, m: 10, q: 3, sigma0: 0.01, lr: 1.0, steps: 50, n_test: 100 },
    });
  });

  it('run --watch trains in-process and exits 0 without a stack trace, first time and all-cached', async () => {
    for (const cached of [0, 4]) {
      const run = await runPhasesweep(['run', specFile, '--watch'], env, 240_000);
      assert.doesNotMatch(run.stderr, STACK_FRAME, run.stderr);
      // Before the workflow answers and with no cells stored yet, the sweep reads as registering.
      assert.doesNotMatch(run.stderr, /running: 0\/0 done/, run.stderr);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`4/4 done \\(${cached} cached, 0 failed\\)`), run.stdout);
    }
  });

  it('run --timeout ends the wait with exit 1 and shuts its worker down cleanly; a re-run attaches and finishes', async () => {
    // Each batch waits 15 s, more than the timeout however the cells are batched.
    const paced = writeSpec(session.dir, 'in-process-timeout', pacedSpec(8));
    const run = await runPhasesweep(
      ['run', paced, '--timeout', '6s'],
      { ...env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '15000' },
      60_000,
    );
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const gaveUp =
      /gave up after --timeout 6s: sweep (\S+) is still running; this process was its worker/.exec(
        run.stderr,
      );
    assert.ok(gaveUp, run.stderr);
    assert.doesNotMatch(run.stderr, STACK_FRAME, run.stderr);

    // Still running in Temporal: the same spec attaches to that sweep and finishes it.
    const again = await runPhasesweep(['run', paced, '--json'], env, 120_000);
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout) as { sweep_id: string; attached: boolean; status: string };
    assert.deepEqual(
      { sweep_id: report.sweep_id, attached: report.attached, status: report.status },
      { sweep_id: gaveUp[1], attached: true, status: 'completed' },
    );
  });
});
