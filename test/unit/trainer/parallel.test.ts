import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCellParams, trainCells, trainCellsParallel } from '../../../trainer/index.ts';

test('training on two worker threads gives the same results, in input order, as one thread', async () => {
  const cells = [0, 1].flatMap((seed) =>
    [0.3, 0.9].map((snr) => parseCellParams({ n_labels: 8, snr, seed, d: 60, steps: 200, n_test: 200 })),
  );
  cells.splice(1, 0, parseCellParams({ method: 'noop' }));
  const fractions: number[] = [];
  const parallel = await trainCellsParallel(cells, {
    backend: 'wasm',
    threads: 2,
    onProgress: (f) => fractions.push(f),
  });
  const serial = await trainCells(cells, { backend: 'wasm' });
  assert.deepEqual(
    parallel.map((r) => [r.test_error, r.train_loss, r.backend]),
    serial.map((r) => [r.test_error, r.train_loss, r.backend]),
  );
  assert.ok(fractions.length > 0 && fractions.every((f) => f >= 0 && f <= 1));
});

test('an aborted parallel run rejects promptly', async () => {
  const controller = new AbortController();
  const cells = [0, 1].map((seed) => parseCellParams({ n_labels: 64, snr: 0.3, seed, steps: 100000 }));
  const run = trainCellsParallel(cells, { backend: 'wasm', threads: 2, signal: controller.signal });
  setTimeout(() => controller.abort(new Error('stop')), 200);
  await assert.rejects(run, /stop/);
});
