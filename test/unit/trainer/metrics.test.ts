import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noiseMemorization, signalLearning } from '../../../trainer/metrics.ts';
import { trainCells } from '../../../trainer/index.ts';
import { grid } from '../../helpers/trainer-grid.ts';

// The per-cell metrics of paper-spec 3.1 and the best iterate, on hand-made filters and on trained cells.

test('gamma and rho are the normalised projections of w - w0 on mu and on each xi_i', () => {
  const d = 3;
  const w0 = Float64Array.from([0.1, 0.2, -0.1, 0, 0, 0]);
  const w = Float64Array.from([0.7, 0.2, -0.1, 0.2, 1.0, 0]);
  const noise = Float64Array.from([0, 2, 0, 0, 1, 1]); // xi_1 = 2 e_2, xi_2 = e_2 + e_3
  // mu = 3 e_1: row 0 moved 0.6 along e_1, row 1 0.2; gamma = 0.6 * 3 / 9
  assert.ok(Math.abs(signalLearning(w, w0, 0, 2, d, 3)! - 0.2) < 1e-12);
  assert.equal(signalLearning(w, w0, 0, 2, d, 0), null);
  // row 1 moved e_2 by 1.0: <dw, xi_1> / ||xi_1||^2 = 2 / 4, <dw, xi_2> / 2 = 0.5; row 0 moved nothing there
  assert.ok(Math.abs(noiseMemorization(w, w0, 0, 2, d, noise, 2)! - 0.5) < 1e-12);
});

test('trained cells carry the best iterate, gamma, rho, and the encoder alignment only for SimCLR', async () => {
  const cells = [
    ...grid({ n_labels: 16, steps: 300, n_test: 400 }, { snr: [0.2, 1.0] }),
    ...grid(
      { method: 'simclr', n_unlabeled: 100, pretrain_steps: 300, steps: 300, n_test: 400 },
      { snr: [0.2] },
    ),
  ];
  const [harmful, benign, simclr] = await trainCells(cells, { backend: 'js' });
  for (const r of [harmful, benign, simclr]) {
    assert.ok(r.best_test_error! <= r.test_error!);
    assert.ok(r.best_test_error! >= Math.min(...r.curve.map((p) => p.test_error)) - 1e-6);
  }
  assert.equal(harmful.pretrain_alignment, null);
  assert.ok(simclr.pretrain_alignment! > 0.8, `pre-trained alignment ${simclr.pretrain_alignment}`);
  // benign: the signal term wins; harmful: the noise term wins
  assert.ok(benign.signal_learning! > benign.noise_memorization!, JSON.stringify(benign));
  assert.ok(harmful.noise_memorization! > harmful.signal_learning!, JSON.stringify(harmful));
});
