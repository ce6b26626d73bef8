// The Temporal SDK core (native code) logs on its own. Left alone it prints coloured lines to stdout,
// where they land inside `run --json`'s output; forwarded, they go through the worker's logger: stderr,
// one plain line each, at PHASESWEEP_LOG_LEVEL. A real dev server and a real native worker.
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../infra/local/ports.ts';
import { temporalBinary } from '../helpers/stack.ts';
import { logLevel } from '../../workers/runtime.ts';

const exec = promisify(execFile);
const runtime = new URL('../../workers/runtime.ts', import.meta.url).href;

// A worker on its own task queue, polling for two seconds, in a process of its own (the runtime is
// installed once per process).
const script = (address: string) => `
  const { ensureWorkerRuntime } = await import(${JSON.stringify(runtime)});
  const { NativeConnection, Worker } = await import('@temporalio/worker');
  ensureWorkerRuntime();
  const connection = await NativeConnection.connect({ address: ${JSON.stringify(address)} });
  const worker = await Worker.create({ connection, taskQueue: 'core-log', activities: { noop: async () => 1 } });
  const running = worker.run();
  await new Promise((r) => setTimeout(r, 2000));
  worker.shutdown();
  await running;
  await connection.close();
`;

describe("the SDK core's log", () => {
  let server: ChildProcess;
  let dir: string;
  let address: string;
  const runWorker = (level: string) =>
    exec(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(address)], {
      env: { ...process.env, PHASESWEEP_LOG_LEVEL: level, FORCE_COLOR: '1' },
      timeout: 60_000,
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'phasesweep-core-log-'));
    const port = await freePort();
    address = `127.0.0.1:${port}`;
    server = spawn(
      await temporalBinary(),
      ['server', 'start-dev', '--headless', '--port', String(port), '--db-filename', join(dir, 't.db')],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      const up = await exec(await temporalBinary(), [
        'operator',
        'cluster',
        'health',
        '--address',
        address,
      ]).then(
        () => true,
        () => false,
      );
      if (up) return;
      await sleep(300);
    }
    throw new Error('the dev server did not start');
  });
  after(() => {
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes to stderr, one plain line per entry, at PHASESWEEP_LOG_LEVEL; stdout stays empty', async () => {
    const { stdout, stderr } = await runWorker('debug');
    assert.equal(stdout, '');
    const core = stderr.split('\n').filter((l) => l.includes('"sdkComponent":"core"'));
    assert.ok(core.length > 0, `no core log line forwarded at DEBUG:\n${stderr}`);
    for (const line of core) assert.match(line, /^\d{4}-\d\d-\d\dT\S+Z \[(DEBUG|INFO|WARN|ERROR)\] /);
    assert.ok(!stderr.includes('\u001b'), 'no colour codes');
  });

  it('at the default level (WARN) a healthy worker logs nothing at all', async () => {
    const { stdout, stderr } = await runWorker('');
    assert.equal(stdout, '');
    assert.equal(stderr, '');
  });
});

describe('PHASESWEEP_LOG_LEVEL', () => {
  it('is one of the levels, any case; anything else is bad input naming it', () => {
    assert.equal(logLevel(undefined), 'WARN');
    assert.equal(logLevel('debug'), 'DEBUG');
    assert.throws(
      () => logLevel('verbose'),
      (err: Error & { badInput?: boolean }) =>
        err.badInput === true &&
        /PHASESWEEP_LOG_LEVEL: expected one of TRACE, DEBUG, INFO, WARN, ERROR, got "verbose"/.test(
          err.message,
        ),
    );
  });
});
