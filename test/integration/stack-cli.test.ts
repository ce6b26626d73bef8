import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runPhasesweep, temporalBinary } from '../helpers/stack.ts';

// `up`, `status`, `down` as a user runs them, in a throwaway PHASESWEEP_HOME, environment stripped of
// anything that would point elsewhere.
const home = mkdtempSync(join(tmpdir(), 'phasesweep-cli-'));
chmodSync(home, 0o755);
const env = {
  PHASESWEEP_HOME: home,
  DATABASE_URL: '',
  TEMPORAL_ADDRESS: '',
  TEMPORAL_NAMESPACE: '',
  PHASESWEEP_PG_PORT: '',
  PHASESWEEP_PG_PASSWORD: '',
  PHASESWEEP_TEMPORAL_PORT: '',
  PHASESWEEP_TEMPORAL_UI_PORT: '',
  TEMPORAL_CLI: await temporalBinary(),
};
const cli = (...args: string[]) => runPhasesweep(args, env);

after(async () => {
  await cli('down');
  rmSync(home, { recursive: true, force: true });
});

interface Status {
  postgres: { healthy: boolean; url: string; pid: number };
  temporal: { healthy: boolean; address: string; pid: number; uiUrl: string };
}

async function status(): Promise<{ code: number | null; report: Status }> {
  const run = await cli('status', '--json', '--show-secrets');
  return { code: run.code, report: JSON.parse(run.stdout) as Status };
}

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

test('up, status, down, up again: one stack, data kept, password never printed', async () => {
  const up = await cli('up');
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /Postgres {2}postgres:\/\/postgres:\*\*\*\*@127\.0\.0\.1:\d+\/phasesweep/);
  assert.match(up.stdout, /Temporal {2}127\.0\.0\.1:\d+/);
  assert.match(up.stdout, /Web UI {4}http:\/\/127\.0\.0\.1:\d+/);

  const first = await status();
  assert.equal(first.code, 0);
  assert.ok(first.report.postgres.healthy && first.report.temporal.healthy);
  const password = new URL(first.report.postgres.url).password;
  assert.ok(password.length >= 16);
  assert.ok(!up.stdout.includes(password) && !up.stderr.includes(password));
  const masked = await cli('status');
  assert.ok(!masked.stdout.includes(password));

  await query(
    first.report.postgres.url,
    'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$survives down$$)',
  );

  const again = await cli('up');
  assert.equal(again.code, 0, again.stderr);
  const second = await status();
  assert.equal(second.report.postgres.pid, first.report.postgres.pid);
  assert.equal(second.report.temporal.pid, first.report.temporal.pid);

  const down = await cli('down');
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /stopped Temporal and Postgres/);
  const stopped = await cli('status');
  assert.equal(stopped.code, 1);
  assert.match(stopped.stdout, /Postgres\s+DOWN/);
  assert.match(stopped.stdout, /Temporal\s+DOWN/);

  const reup = await cli('up');
  assert.equal(reup.code, 0, reup.stderr);
  const third = await status();
  assert.notEqual(third.report.postgres.pid, first.report.postgres.pid);
  assert.equal(third.report.postgres.url, first.report.postgres.url);
  const { rows } = await query(third.report.postgres.url, 'SELECT v FROM kept');
  assert.deepEqual(rows, [{ v: 'survives down' }]);
});

test('up detects a stale pid in the state file and starts afresh', async () => {
  await cli('down');
  const statePath = join(home, 'state.json');
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
    postgres: { pid: number };
    temporal: { pid: number };
  };
  // Our own pid is alive but is not a Postgres or Temporal server.
  state.postgres.pid = process.pid;
  state.temporal.pid = process.pid;
  writeFileSync(statePath, JSON.stringify(state));
  const up = await cli('up');
  assert.equal(up.code, 0, up.stderr);
  const restarted = await status();
  assert.equal(restarted.code, 0);
  assert.notEqual(restarted.report.postgres.pid, process.pid);
  assert.notEqual(restarted.report.temporal.pid, process.pid);
});
