import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runAttempt } from '../../../../workers/command/run-attempt.ts';
import { alive, treeStarted, writtenPids } from '../../../helpers/command-faults.ts';
import { cellIn, EXAMPLES, runOf, scratch } from './fixtures.ts';

const GRACE_MS = 500;

test('a timeout ends a three-level tree deaf to SIGTERM: nothing of it alive within grace + 2 s', async () => {
  const dir = await scratch();
  const report = await runAttempt(runOf('tree-hang.sh', { timeoutMs: 700, graceMs: GRACE_MS }), cellIn(dir), {
    attemptDir: join(dir, 'a1'),
  });
  assert.equal(report.outcome.kind, 'timed_out');
  assert.equal(report.outcome.retryable, true);
  assert.match(report.outcome.message, /timeout 700ms/);
  const pids = await writtenPids(dir);
  assert.equal(pids.length, 3, 'the fixture wrote the pids of its three levels');
  // runAttempt resolves only once the group is empty, well inside the grace + 2 s allowed.
  assert.deepEqual(await alive(pids), []);
  assert.ok(report.durationMs < 700 + GRACE_MS + 2_000, `took ${report.durationMs} ms`);
});

test('cancelling ends the whole tree within grace + 2 s of the abort', async () => {
  const dir = await scratch();
  const abort = new AbortController();
  const running = runAttempt(runOf('tree-hang.sh', { graceMs: GRACE_MS }), cellIn(dir), {
    attemptDir: join(dir, 'a1'),
    signal: abort.signal,
  });
  const pids = await treeStarted(dir);
  assert.equal((await alive(pids)).length, 3);
  const aborted = Date.now();
  abort.abort();
  const report = await running;
  assert.ok(Date.now() - aborted < GRACE_MS + 2_000, `ended ${Date.now() - aborted} ms after the abort`);
  assert.equal(report.outcome.kind, 'cancelled');
  assert.equal(report.outcome.retryable, false);
  assert.deepEqual(await alive(pids), []);
});

test('a stall_timeout stops a program that goes quiet, and is retryable', async () => {
  const dir = await scratch();
  const report = await runAttempt(runOf('tree-hang.sh', { stallTimeoutMs: 400, graceMs: 200 }), cellIn(dir), {
    attemptDir: join(dir, 'a1'),
  });
  assert.equal(report.outcome.kind, 'stalled');
  assert.equal(report.outcome.retryable, true);
  assert.deepEqual(await alive(await writtenPids(dir)), []);
});

test('exit 0 without a result is a protocol failure, not retried, with the log tail', async () => {
  const dir = await scratch();
  const report = await runAttempt(runOf('no-result.sh'), cellIn(dir), { attemptDir: join(dir, 'a1') });
  assert.equal(report.outcome.kind, 'protocol_failure');
  assert.equal(report.outcome.retryable, false);
  assert.match(report.outcome.message, /without a result/);
  assert.match(report.logTail, /loaded the data/);
  assert.match(report.logTail, /Traceback: something the user must see/);
  assert.equal(await readFile(report.logPath, 'utf8'), report.logTail);
});

test('exit codes: 75 is retried, 64 and 65 fail for good, any other is an error for the retry policy', async () => {
  const dir = await scratch();
  const kinds: Record<number, [string, boolean]> = {
    75: ['retry', true],
    64: ['failed', false],
    65: ['failed', false],
    3: ['error', true],
  };
  for (const [code, [kind, retryable]] of Object.entries(kinds)) {
    const report = await runAttempt(runOf('exit-code.sh'), cellIn(dir, { params: { exit: Number(code) } }), {
      attemptDir: join(dir, `exit-${code}`),
    });
    assert.equal(report.outcome.kind, kind, `exit ${code}`);
    assert.equal(report.outcome.retryable, retryable, `exit ${code}`);
    assert.match(report.logTail, new RegExp(`exiting with ${code}`));
  }
});

test('a program that cannot be started fails with its name, not retried', async () => {
  const dir = await scratch();
  const report = await runAttempt(runOf('x', { argv: ['no-such-program-here'] }), cellIn(dir), {
    attemptDir: join(dir, 'a1'),
  });
  assert.equal(report.outcome.kind, 'failed');
  assert.match(report.outcome.message, /cannot start no-such-program-here/);
});

test('the minimal example: input on stdin, progress from the events file, the result from stdout', async () => {
  const dir = await scratch();
  const steps: number[] = [];
  const report = await runAttempt(
    runOf('train.sh', { cwd: join(EXAMPLES, 'minimal') }),
    cellIn(dir, { params: { lr: 0.5 }, seed: 0 }),
    { attemptDir: join(dir, 'a1'), onProgress: (p) => steps.push(p.step) },
  );
  assert.equal(report.outcome.kind, 'done', report.outcome.message);
  assert.deepEqual(report.outcome.metrics, { loss: 0.03125 });
  assert.deepEqual(steps, [0, 1, 2, 3, 4]);
  assert.equal(report.stdinRead, true);
  assert.match(report.logTail, /training done/);
});

test('a result that lacks a listed metric is a protocol failure naming it', async () => {
  const dir = await scratch();
  const report = await runAttempt(
    runOf('train.sh', { cwd: join(EXAMPLES, 'minimal'), metrics: ['loss', 'test_error'] }),
    cellIn(dir, { params: { lr: 0.5 } }),
    { attemptDir: join(dir, 'a1') },
  );
  assert.equal(report.outcome.kind, 'protocol_failure');
  assert.match(report.outcome.message, /lacks test_error \(has loss\)/);
});

test('the input: one JSON line on stdin and the same in PHASESWEEP_INPUT; the protocol environment', async () => {
  const dir = await scratch();
  const cell = cellIn(dir, {
    cellKey: 'k-42',
    params: { n: 16, act: 'relu', fused: true },
    seed: 3,
    attempt: 2,
    resumeFrom: '/ck/7',
  });
  const report = await runAttempt(runOf('env-dump.sh', { env: { OMP_NUM_THREADS: '1' } }), cell, {
    attemptDir: join(dir, 'a2'),
    baseEnv: {
      PATH: process.env.PATH,
      DATABASE_URL: 'postgres://u:secret@h/db',
      TEMPORAL_ADDRESS: 'h:7233',
      HOME: '/home/x',
    },
  });
  assert.equal(report.outcome.kind, 'done', report.outcome.message);
  const out = (name: string) => readFile(join(cell.outDir, name), 'utf8');
  const expected = {
    protocol: 1,
    cell_key: 'k-42',
    params: { n: 16, act: 'relu', fused: true },
    seed: 3,
    attempt: 2,
    out_dir: cell.outDir,
    resume_from: '/ck/7',
  };
  assert.deepEqual(JSON.parse(await out('stdin')), expected);
  assert.equal(await out('input-file'), await out('stdin'));
  const env = Object.fromEntries(
    (await out('env'))
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  assert.equal(env.PHASESWEEP_CELL_KEY, 'k-42');
  assert.equal(env.PHASESWEEP_SEED, '3');
  assert.equal(env.PHASESWEEP_ATTEMPT, '2');
  assert.equal(env.PHASESWEEP_OUT_DIR, cell.outDir);
  assert.equal(env.PHASESWEEP_EVENTS, join(dir, 'a2', 'events.ndjson'));
  assert.equal(env.PYTHONUNBUFFERED, '1');
  assert.equal(env.OMP_NUM_THREADS, '1');
  assert.equal(env.HOME, '/home/x');
  assert.equal(
    env.DATABASE_URL,
    undefined,
    "the worker's database URL (and its password) stays with the worker",
  );
  assert.equal(env.TEMPORAL_ADDRESS, undefined);
  assert.equal(env.CUDA_VISIBLE_DEVICES, undefined, 'no GPU variables off GPU slots');
});

test('a worker shutting down stops the program as killed, which the retry policy may run again', async () => {
  const dir = await scratch();
  const abort = new AbortController();
  const running = runAttempt(runOf('tree-hang.sh', { graceMs: 200 }), cellIn(dir), {
    attemptDir: join(dir, 'a1'),
    signal: abort.signal,
  });
  await treeStarted(dir);
  abort.abort('shutdown');
  const report = await running;
  assert.deepEqual(
    [report.outcome.kind, report.outcome.retryable, report.stoppedBy],
    ['killed', true, 'kill'],
  );
});
