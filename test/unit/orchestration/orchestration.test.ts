// The pure parts of the orchestration layer: batch cutting, ids, worker settings, CSV output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutBatches } from '../../../sweep/batches.ts';
import { parseCellParams } from '../../../trainer/index.ts';
import { derivedSweepId, newSweepId, slug, sweepWorkflowId } from '../../../sweep/ids.ts';
import { workerSettings } from '../../../cli/commands/worker.ts';
import { toCsv } from '../../../cli/views/csv.ts';

const cell = (ordinal: number, n_labels: number, seed = 0, snr = 0.2) => ({
  key: `k${ordinal}`,
  ordinal,
  params: parseCellParams({ method: 'supervised', n_labels, seed, snr }),
});

test('batches are runs of one shape, at most batchSize cells, and may span cached ordinals', () => {
  const cells = [cell(0, 4), cell(1, 4), cell(2, 4), cell(5, 4), cell(6, 8), cell(7, 8), cell(9, 4)];
  assert.deepEqual(cutBatches(cells, 3), [
    { fromOrdinal: 0, toOrdinal: 2, cells: 3 },
    { fromOrdinal: 5, toOrdinal: 5, cells: 1 },
    { fromOrdinal: 6, toOrdinal: 7, cells: 2 },
    { fromOrdinal: 9, toOrdinal: 9, cells: 1 },
  ]);
  assert.deepEqual(cutBatches([], 3), []);
});

test('a page with fewer batches than the window is also cut where the training data changes', () => {
  const cells = [cell(0, 4, 0, 0.1), cell(1, 4, 0, 0.2), cell(2, 4, 1, 0.1), cell(3, 4, 1, 0.2)];
  const whole = [{ fromOrdinal: 0, toOrdinal: 3, cells: 4 }];
  assert.deepEqual(cutBatches(cells, 8, 1), whole);
  assert.deepEqual(cutBatches(cells, 8, 2), [
    { fromOrdinal: 0, toOrdinal: 1, cells: 2 },
    { fromOrdinal: 2, toOrdinal: 3, cells: 2 },
  ]);
});

test('the workflow id depends on name and spec hash only; sweep ids are new per run', () => {
  const hash = 'ab'.repeat(32);
  assert.equal(sweepWorkflowId('My Sweep: "q=3"', hash), `sweep-my-sweep-q-3-${'ab'.repeat(8)}`);
  assert.equal(sweepWorkflowId('My Sweep: "q=3"', hash), sweepWorkflowId('My Sweep: "q=3"', hash));
  assert.notEqual(sweepWorkflowId('a', hash), sweepWorkflowId('a', 'cd'.repeat(32)));
  assert.equal(slug('日本語;--'), 'sweep');
  assert.ok(slug('x'.repeat(500)).length <= 48);
  assert.equal(
    newSweepId('Demo', new Date('2026-01-02T03:04:05.678Z'), 'f00d01'),
    'demo-20260102T030405Z-f00d01',
  );
  assert.equal(derivedSweepId('nightly', 'run-1'), 'nightly-run-1');
});

test('a GPU worker uses node-gpu and at most one batch per GPU; bad settings are bad input', () => {
  assert.deepEqual(
    workerSettings({ queue: 'train-gpu' }, () => 2),
    { concurrency: 2, backend: 'node-gpu' },
  );
  assert.deepEqual(
    workerSettings({ queue: 'train-gpu', concurrency: '8' }, () => 2),
    {
      concurrency: 2,
      backend: 'node-gpu',
    },
  );
  assert.throws(() => workerSettings({ queue: 'train-gpu' }, () => 0), /needs a GPU/);
  assert.throws(
    () => workerSettings({ queue: 'train-gpu', backend: 'wasm' }, () => 1),
    (err: Error & { badInput?: boolean }) =>
      err.badInput === true && /cannot serve queue train-gpu/.test(err.message),
  );
  assert.throws(
    () => workerSettings({ queue: 'train-cpu', concurrency: '0' }, () => 0),
    (err: Error & { badInput?: boolean }) => err.badInput === true && /--concurrency/.test(err.message),
  );
  assert.deepEqual(
    workerSettings({ queue: 'train-cpu', concurrency: '3', backend: 'cpu' }, () => 0),
    {
      concurrency: 3,
      backend: 'cpu',
    },
  );
});

test('CSV quotes what needs quoting and leaves nulls empty', () => {
  const csv = toCsv([
    { a: 1, b: null, c: 'x,y', d: new Date('2026-01-01T00:00:00Z') },
    { a: 2, b: true, c: 'say "hi"', d: null },
  ]);
  assert.equal(csv, 'a,b,c,d\n1,,"x,y",2026-01-01T00:00:00.000Z\n2,true,"say ""hi""",\n');
  assert.equal(toCsv([]), '');
});
