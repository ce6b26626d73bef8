import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  FINISHED_STATUSES,
  isFinished,
  isSettled,
  SETTLED_STATUSES,
  SWEEP_STATUSES,
} from '../../../sweep/statuses.ts';

test("the sweeps table's CHECK constraint allows exactly the statuses of sweep/statuses.ts", () => {
  const folder = new URL('../../../store/migrations/', import.meta.url);
  const checks = readdirSync(folder)
    .sort()
    .map((f) => /CHECK \(status IN \(([^)]*)\)\)/.exec(readFileSync(new URL(f, folder), 'utf8')))
    .filter((c) => c !== null);
  const check = checks.at(-1);
  assert.ok(check, 'no status CHECK in the migrations');
  const listed = check[1].split(',').map((s) => s.trim().replace(/^'|'$/g, ''));
  assert.deepEqual(listed, [...SWEEP_STATUSES]);
});

test('settled statuses are finished; queued, pending and running are neither', () => {
  for (const status of SETTLED_STATUSES) assert.ok(isFinished(status) && isSettled(status), status);
  assert.deepEqual(
    SWEEP_STATUSES.filter((s) => !isFinished(s)),
    ['queued', 'pending', 'running'],
  );
  assert.deepEqual(
    FINISHED_STATUSES.filter((s) => !isSettled(s)),
    ['cancelled', 'failed'],
  );
  assert.equal(isSettled(undefined), false);
});
