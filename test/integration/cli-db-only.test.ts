// The read-only commands need Postgres only: with the local stack's Temporal server down they still
// answer from the database, and say nothing about Temporal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPhasesweep, useTestStack } from '../helpers/stack.ts';

const session = useTestStack('db-only');

test('ls and show work from the local Postgres while the local Temporal server is down', async () => {
  const { stack } = session;
  const state = JSON.parse(readFileSync(join(stack.home, 'state.json'), 'utf8')) as {
    temporal: { pid: number };
  };
  process.kill(state.temporal.pid, 'SIGKILL');
  const env = { PHASESWEEP_HOME: stack.home, DATABASE_URL: '', TEMPORAL_ADDRESS: '' };
  const ls = await runPhasesweep(['ls', '--json'], env);
  assert.equal(ls.code, 0, ls.stderr);
  assert.deepEqual(JSON.parse(ls.stdout), []);
  const show = await runPhasesweep(['show', 'no-such-sweep'], env);
  assert.equal(show.code, 2, show.stderr);
  assert.match(show.stderr, /unknown sweep 'no-such-sweep'/);
  assert.doesNotMatch(show.stderr, /Temporal/);
});
