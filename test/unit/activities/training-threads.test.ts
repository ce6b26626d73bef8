import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrainingThreads } from '../../../activities/index.ts';
import { parseCellParams, trainCells } from '../../../trainer/index.ts';

// The worker's pool of training threads, which the trainer benchmark measures too.
test('two batches trained at once on the pool give the same results as one thread', async () => {
  const batches = [0, 1].map((seed) =>
    [0.3, 0.9].map((snr) => parseCellParams({ n_labels: 8, snr, seed, d: 60, steps: 200, n_test: 200 })),
  );
  batches[0].splice(1, 0, parseCellParams({ method: 'noop' }));
  const pool = new TrainingThreads('wasm');
  const fractions: number[] = [];
  try {
    const pooled = await Promise.all(
      batches.map((cells) => pool.train(cells, { onProgress: (f) => fractions.push(f) })),
    );
    const serial = await Promise.all(batches.map((cells) => trainCells(cells, { backend: 'wasm' })));
    assert.deepEqual(
      pooled.flat().map((r) => [r.test_error, r.train_loss, r.backend]),
      serial.flat().map((r) => [r.test_error, r.train_loss, r.backend]),
    );
    assert.ok(fractions.length > 0 && fractions.every((f) => f >= 0 && f <= 1));
  } finally {
    await pool.close();
  }
});

test('an aborted batch rejects promptly and the pool trains the next one', async () => {
  const pool = new TrainingThreads('wasm');
  try {
    const controller = new AbortController();
    const long = [parseCellParams({ n_labels: 64, snr: 0.3, steps: 100000 })];
    const run = pool.train(long, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 200);
    await assert.rejects(run, /stop/);
    const [after] = await pool.train([parseCellParams({ method: 'noop' })]);
    assert.equal(after.backend, 'noop');
  } finally {
    await pool.close();
  }
});
