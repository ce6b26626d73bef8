import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainCells } from '../../../trainer/index.ts';
import { grid } from '../../helpers/trainer-grid.ts';

// Spec 6.5 checks 12 (label noise at the Bayes rate) and 14 (divergence is flagged, not scored).

test('label noise p = 0.1 with q = 1: error against noisy test labels in [0.07, 0.14] (check 12)', async () => {
  const cells = grid({ q: 1, p: 0.1 }, { snr: [0.3, 0.5], n_labels: [16, 64], seed: [0, 1] });
  for (const [i, r] of (await trainCells(cells, { backend: 'js' })).entries()) {
    assert.equal(r.diverged, false);
    assert.ok(r.test_error! >= 0.07 && r.test_error! <= 0.14, `${JSON.stringify(cells[i])}: ${r.test_error}`);
    assert.ok(r.train_loss !== null && Number.isFinite(r.train_loss));
  }
});

test('q = 3 with label noise overflows float32: flagged diverged, metrics null, never error 1.0 (check 14)', async () => {
  const cells = grid({ q: 3, p: 0.1, n_labels: 64, snr: 0.5 }, { seed: [0, 1] });
  for (const r of await trainCells(cells, { backend: 'js' })) {
    assert.equal(r.diverged, true);
    assert.equal(r.test_error, null);
    assert.equal(r.test_loss, null);
    assert.equal(r.train_loss, null);
    assert.equal(r.noise_memorization, null);
    assert.equal(r.steps, 1000);
    assert.doesNotThrow(() => JSON.stringify(r));
  }
});

test('a diverging cell does not poison the other cells of its batch', async () => {
  const cells = grid({ q: 3, p: 0.1, n_labels: 64, seed: 0 }, { snr: [0.3, 0.5] });
  const [calm, wild] = await trainCells(cells, { backend: 'js' });
  assert.equal(wild.diverged, true);
  assert.equal(calm.diverged, false);
  const [alone] = await trainCells([cells[0]], { backend: 'js' });
  assert.equal(calm.test_error, alone.test_error);
  assert.ok(Math.abs(Math.log(calm.train_loss! / alone.train_loss!)) < 1e-3);
});
