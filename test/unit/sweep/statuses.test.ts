import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  FINISHED_STATUSES,
  isFinished,
  isSettled,
  SETTLED_STATUSES,
  SWEEP_STATUSES,
} from '../../../sweep/statuses.ts';

test("the sweeps table's CHECK constraint allows exactly the statuses of sweep/statuses.ts", () => {
  const sql = readFileSync(new URL('../../../store/migrations/001_initial.sql', import.meta.url), 'utf8');
  const check = /CHECK \(status IN \(([^)]*)\)\)/.exec(sql);
  assert.ok(check, 'no status CHECK in the initial migration');
  const listed = check[1].split(',').map((s) => s.trim().replace(/^'|'$/g, ''));
  assert.deepEqual(listed, [...SWEEP_STATUSES]);
});

test('settled statuses are finished; pending and running are neither', () => {
  for (const status of SETTLED_STATUSES) assert.ok(isFinished(status) && isSettled(status), status);
  assert.deepEqual(
    SWEEP_STATUSES.filter((s) => !isFinished(s)),
    ['pending', 'running'],
  );
  assert.deepEqual(
    FINISHED_STATUSES.filter((s) => !isSettled(s)),
    ['cancelled', 'failed'],
  );
  assert.equal(isSettled(undefined), false);
});
