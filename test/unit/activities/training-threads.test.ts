import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrainingThreads } from '../../../activities/index.ts';
import { trainOnWorkerPool } from '../../../bench/worker-pool.ts';
import { parseCellParams, trainCells, type CellResult } from '../../../trainer/index.ts';

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

// Each encoder is pre-trained in one batch on one thread (sweep/batches.ts), and its cells come out as
// on one thread alone.
test('a SimCLR grid on the pool gives the results of one thread', async () => {
  const cells = [25, 50].flatMap((n_unlabeled) =>
    [4, 8].flatMap((n_labels) =>
      [0, 1].flatMap((seed) =>
        [0.2, 0.4].map((snr) =>
          parseCellParams({
            method: 'simclr',
            n_unlabeled,
            n_labels,
            seed,
            snr,
            d: 60,
            pretrain_steps: 30,
            steps: 100,
            n_test: 100,
          }),
        ),
      ),
    ),
  );
  const outcome = (r: CellResult) => {
    const { wall_ms: _wall, ...rest } = r;
    return rest;
  };
  const pooled = await trainOnWorkerPool(cells, 'js', 2);
  const serial = await trainCells(cells, { backend: 'js' });
  assert.deepEqual(pooled.map(outcome), serial.map(outcome));
  assert.ok(serial.every((r) => r.pretrain_alignment !== null));
});
