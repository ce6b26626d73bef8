import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialFilters, labeledSet, unlabeledSet } from '../../../trainer/data.ts';
import { initBackend, parseCellParams, trainCell, trainCells } from '../../../trainer/index.ts';

// Spec 6.5 checks 1 (data) and 13 (determinism), plus the noop contract and backend errors.

test('noise is orthogonal to mu, has the expected norm, and labels are balanced (check 1)', () => {
  const n = 1000;
  const d = 200;
  const sigmaP = 1.5;
  const set = labeledSet(3, 'train', n, d, sigmaP, 0);
  let sqSum = 0;
  for (let i = 0; i < n; i++) {
    // mu = ||mu|| e_1, so <xi, mu> = ||mu|| xi[0]
    assert.ok(Math.abs(set.noise[i * d] * 10) < 1e-9);
    for (let k = 0; k < d; k++) sqSum += set.noise[i * d + k] ** 2;
  }
  const ratio = sqSum / n / (sigmaP ** 2 * (d - 1));
  assert.ok(Math.abs(ratio - 1) < 0.05, `mean ||xi||^2 / (sigma_p^2 (d-1)) = ${ratio}`);
  const plus = set.yTrue.filter((y) => y === 1).length;
  assert.ok(Math.abs(plus - n / 2) < 3 * Math.sqrt(n / 4), `${plus} of ${n} labels are +1`);
  assert.deepEqual(set.yObs, set.yTrue, 'p = 0 flips nothing');
});

test('label flips happen at rate p and keep the noise draws unchanged', () => {
  const clean = labeledSet(4, 'train', 2000, 20, 1, 0);
  const noisy = labeledSet(4, 'train', 2000, 20, 1, 0.2);
  assert.deepEqual(noisy.noise, clean.noise);
  assert.deepEqual(noisy.yTrue, clean.yTrue);
  const flipped = noisy.yObs.filter((y, i) => y !== noisy.yTrue[i]).length / 2000;
  assert.ok(Math.abs(flipped - 0.2) < 3 * Math.sqrt(0.16 / 2000), `flip rate ${flipped}`);
});

test('data is a pure function of (seed, purpose, n): nested in n, distinct across seeds and purposes', () => {
  const small = labeledSet(7, 'train', 8, 30, 1, 0);
  const big = labeledSet(7, 'train', 16, 30, 1, 0);
  assert.deepEqual(big.noise.subarray(0, 8 * 30), small.noise);
  assert.notDeepEqual(labeledSet(8, 'train', 8, 30, 1, 0).noise, small.noise);
  assert.notDeepEqual(labeledSet(7, 'test', 8, 30, 1, 0).noise, small.noise);
  const u = unlabeledSet(7, 10, 30, 1);
  assert.notDeepEqual(u.noise, u.viewNoise, 'views get fresh noise');
  assert.deepEqual(initialFilters(1, 3, 30, 0.01), initialFilters(1, 3, 30, 0.01));
});

test('identical seeds give bit-identical results (check 13)', async () => {
  const cell = parseCellParams({ n_labels: 8, snr: 0.5, steps: 200, d: 60, n_test: 200 });
  const a = await trainCell(cell);
  const b = await trainCell(cell);
  assert.equal(a.test_error, b.test_error);
  assert.equal(a.train_loss, b.train_loss);
  assert.deepEqual(a.curve, b.curve);
  const other = await trainCell({ ...cell, seed: 1 });
  assert.notEqual(other.train_loss, a.train_loss);
});

test('noop returns a fixed result at once, without a backend', async () => {
  const [r] = await trainCells([parseCellParams({ method: 'noop' })]);
  assert.deepEqual(
    { ...r, wall_ms: 0 },
    {
      test_error: 0,
      test_loss: 0,
      train_loss: 0,
      best_test_error: 0,
      best_step: 0,
      signal_alignment: 0,
      signal_learning: 0,
      noise_memorization: 0,
      pretrain_alignment: null,
      probe_alignment: null,
      linear_probe_error: null,
      head_change: null,
      diverged: false,
      steps: 0,
      wall_ms: 0,
      backend: 'noop',
      curve: [],
    },
  );
});

test('a forced backend that is missing is a clear error; an unknown name is bad input', async () => {
  await assert.rejects(
    initBackend('node-gpu'),
    /backend 'node-gpu' is not available: @tensorflow\/tfjs-node-gpu/,
  );
  await assert.rejects(
    initBackend('tpu' as never),
    (err: Error & { badInput?: boolean }) =>
      err.badInput === true && /unknown backend 'tpu'/.test(err.message),
  );
  assert.equal(await initBackend('cpu'), 'cpu');
});
