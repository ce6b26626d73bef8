import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCellParams, trainCell, trainCells } from '../../../trainer/index.ts';
import { grid, meanOf, N_61, SNR_61 } from '../../helpers/trainer-grid.ts';

// Spec 6.5 checks 3-8 on the full default grid of 6.1 (140 cells, d = 200: about 15 s on js),
// plus batched-vs-alone agreement. On the js path (the default on CPU hosts); fused.test.ts ties it to tfjs.

const cells = grid({}, { n_labels: N_61, seed: [0, 1], snr: SNR_61 });
const results = await trainCells(cells, { backend: 'js' });
const err = (n: number, snr: number) =>
  meanOf(
    cells,
    results,
    (c) => c.n_labels === n && c.snr === snr,
    (r) => r.test_error,
  );

test('every cell of 6.1 overfits: training loss < 1e-2, nothing diverged (checks 3, 14)', () => {
  for (const [i, r] of results.entries()) {
    assert.equal(r.diverged, false);
    assert.ok(
      r.train_loss !== null && r.train_loss < 1e-2,
      `cell ${JSON.stringify(cells[i])}: ${r.train_loss}`,
    );
    assert.equal(r.curve.length, 20);
    assert.equal(r.curve.at(-1)?.step, 1000);
  }
});

test('benign corner: SNR >= 0.8 and n >= 8 gives error <= 0.05 (check 4)', () => {
  for (const n of N_61.filter((v) => v >= 8)) {
    for (const snr of SNR_61.filter((s) => s >= 0.8)) assert.ok(err(n, snr) <= 0.05, `n=${n} snr=${snr}`);
  }
});

test('harmful corner: SNR <= 0.15 and n <= 64 gives error >= 0.40 with training loss < 1e-3 (check 5)', () => {
  for (const [i, c] of cells.entries()) {
    if (c.snr > 0.15 || c.n_labels > 64) continue;
    assert.ok(err(c.n_labels, c.snr) >= 0.4, `n=${c.n_labels} snr=${c.snr}`);
    assert.ok(results[i].train_loss! < 1e-3);
    // harmful overfitting memorises noise: the noise term rho dwarfs the signal term gamma
    const { noise_memorization: rho, signal_learning: gamma } = results[i];
    assert.ok(rho! > 3 * gamma!, `noise memorisation ${rho} vs signal learning ${gamma}`);
  }
});

test('monotone trends in SNR and n (check 7)', () => {
  for (const n of N_61) assert.ok(err(n, SNR_61[9]) <= err(n, SNR_61[0]), `n=${n}`);
  for (const snr of SNR_61) assert.ok(err(256, snr) <= err(4, snr) + 0.1, `snr=${snr}`);
});

test('the boundary follows n SNR^q = const: slope in [-0.5, -0.15], n SNR*^3 within 4x (check 8)', () => {
  const boundary = N_61.map((n) => SNR_61.find((snr) => err(n, snr) < 0.25));
  assert.ok(
    boundary.every((s) => s !== undefined),
    `boundary ${boundary}`,
  );
  const xs = N_61.map(Math.log);
  const ys = (boundary as number[]).map(Math.log);
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const slope =
    xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  assert.ok(slope >= -0.5 && slope <= -0.15, `slope ${slope}, boundary ${boundary}`);
  const products = N_61.map((n, i) => n * boundary[i]! ** 3);
  assert.ok(Math.max(...products) / Math.min(...products) < 4, `n SNR*^3: ${products}`);
});

test('chance level at SNR 0: error in [0.40, 0.60] (check 6)', async () => {
  const zero = grid({ snr: 0 }, { n_labels: [8, 64] });
  for (const r of await trainCells(zero, { backend: 'js' })) {
    assert.ok(r.test_error! >= 0.4 && r.test_error! <= 0.6, `error ${r.test_error}`);
    assert.equal(r.diverged, false);
  }
});

test('a cell trained alone agrees with the same cell trained in its batch', async () => {
  for (const i of [3 * 20 + 7, 6 * 20 + 12, 1 * 20 + 2]) {
    const alone = await trainCell(cells[i], { backend: 'js' });
    const batched = results[i];
    assert.ok(Math.abs(alone.test_error! - batched.test_error!) <= 0.01, `cell ${i}`);
    assert.ok(Math.abs(alone.signal_alignment! - batched.signal_alignment!) < 1e-3);
    const rel = Math.abs(Math.log(alone.train_loss! / batched.train_loss!));
    assert.ok(rel < 0.05, `train loss ${alone.train_loss} vs ${batched.train_loss}`);
  }
  const mixed = await trainCells([cells[5], parseCellParams({ method: 'noop' }), cells[45]], {
    backend: 'js',
  });
  assert.equal(mixed[0].test_error, results[5].test_error);
  assert.equal(mixed[1].backend, 'noop');
  assert.equal(mixed[2].test_error, results[45].test_error);
});
