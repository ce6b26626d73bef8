import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { logLevel } from '../../../workers/runtime.ts';

const exec = promisify(execFile);
const runtime = new URL('../../../workers/runtime.ts', import.meta.url).href;

// The SDK core (native code) logs on its own; left alone it prints coloured lines to stdout, inside
// `run --json`'s output. A failed native connection makes it log at TRACE.
test("the SDK core's log goes to stderr through the worker's logger, never to stdout", async () => {
  const script = `
    const { ensureWorkerRuntime } = await import(${JSON.stringify(runtime)});
    const { NativeConnection } = await import('@temporalio/worker');
    ensureWorkerRuntime();
    await NativeConnection.connect({ address: '127.0.0.1:1' }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
  `;
  const { stdout, stderr } = await exec(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      env: { ...process.env, PHASESWEEP_LOG_LEVEL: 'trace', FORCE_COLOR: '1' },
    },
  );
  assert.equal(stdout, '');
  assert.ok(!stderr.includes('\u001b'), stderr);
});

test('PHASESWEEP_LOG_LEVEL is one of the levels, any case; anything else is bad input naming it', () => {
  assert.equal(logLevel(undefined), 'WARN');
  assert.equal(logLevel('debug'), 'DEBUG');
  assert.throws(
    () => logLevel('verbose'),
    (err: Error & { badInput?: boolean }) =>
      err.badInput === true &&
      /PHASESWEEP_LOG_LEVEL: expected one of TRACE, DEBUG, INFO, WARN, ERROR/.test(err.message),
  );
});
