import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialFilters, labeledSet, signalNorm } from '../../../trainer/data.ts';
import { headChange, noiseMemorization, probeAlignment, signalLearning } from '../../../trainer/metrics.ts';
import { trainCells } from '../../../trainer/index.ts';
import { gradient64, type Net64, type Sample64 } from '../../helpers/reference64.ts';
import { grid } from '../../helpers/trainer-grid.ts';

// The per-cell metrics: gamma and rho of paper-spec 3.1 on hand-made filters and against a float64
// gradient descent written from the formulas, the probe alignment, the head change, the best iterate.

test('gamma is max_j,r j <w - w0, mu> over both branches, rho max |<w - w0, xi_i>|, neither normalised', () => {
  const d = 3;
  // two filters per branch: rows 0, 1 are the +1 branch, rows 2, 3 the -1 branch
  const w0 = new Float64Array(4 * d);
  const w = Float64Array.from([0.2, 0, 0, 0.1, 1.0, 0, -0.5, 0, 0, 0.3, 0, 0]);
  const noise = Float64Array.from([0, 2, 0, 0, 1, 1]); // xi_1 = 2 e_2, xi_2 = e_2 + e_3
  // mu = 3 e_1: gamma of row 0 is 0.2 * 3, of row 2 (branch -1, moved along -mu) is 0.5 * 3
  assert.ok(Math.abs(signalLearning(w, w0, 0, 4, d, 3)! - 1.5) < 1e-12);
  assert.equal(signalLearning(w, w0, 0, 4, d, 0), null);
  // a -1 filter that moved along +mu learned the wrong class: gamma < 0, never the maximum's sign flipped
  const wrong = Float64Array.from([0, 0, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0]);
  assert.ok(Math.abs(signalLearning(wrong, w0, 0, 4, d, 3)! - 0) < 1e-12);
  // row 1 moved e_2 by 1.0: <dw, xi_1> = 2, <dw, xi_2> = 1
  assert.ok(Math.abs(noiseMemorization(w, w0, 0, 4, d, noise, 2)! - 2) < 1e-12);
});

/** Full-batch GD in float64 from reference64's gradient, on the trainer's own data and init. */
function gd64(cell: { snr: number; n: number; d: number; m: number; steps: number; lr: number }) {
  const { n, d, m, steps, lr } = cell;
  const train = labeledSet(0, 'train', n, d, 1, 0);
  const norm = signalNorm(cell.snr, 1, d);
  const mu = new Float64Array(d);
  mu[0] = norm;
  const data: Sample64[] = Array.from({ length: n }, (_, i) => ({
    patches: [mu.map((v) => train.yTrue[i] * v), train.noise.slice(i * d, (i + 1) * d)],
    y: train.yObs[i],
  }));
  const w0 = Float64Array.from(initialFilters(0, m, d, 0.01), (v) => Math.fround(v));
  const net: Net64 = { m, d, q: 3, w: Float64Array.from(w0) };
  for (let t = 0; t < steps; t++) {
    const g = gradient64(net, data);
    for (let x = 0; x < g.length; x++) net.w[x] -= lr * g[x];
  }
  // gamma and rho from their definitions with explicit vectors
  let gamma = -Infinity;
  let rho = 0;
  for (let row = 0; row < 2 * m; row++) {
    const j = row < m ? 1 : -1;
    const dw = (k: number) => net.w[row * d + k] - w0[row * d + k];
    let withMu = 0;
    for (let k = 0; k < d; k++) withMu += dw(k) * mu[k];
    gamma = Math.max(gamma, j * withMu);
    for (let i = 0; i < n; i++) {
      let withXi = 0;
      for (let k = 0; k < d; k++) withXi += dw(k) * train.noise[i * d + k];
      rho = Math.max(rho, Math.abs(withXi));
    }
  }
  return { gamma, rho };
}

test('gamma and rho of trained cells equal a float64 computation at SNR 0.25 (harmful) and 0.8 (benign)', async () => {
  const shape = { n: 16, d: 100, m: 5, steps: 200, lr: 1 };
  const cells = grid(
    { n_labels: shape.n, d: shape.d, m: shape.m, steps: shape.steps, lr: shape.lr, n_test: 200, n_val: 200 },
    { snr: [0.25, 0.8] },
  );
  for (const backend of ['js', 'wasm'] as const) {
    const [harmful, benign] = await trainCells(cells, { backend });
    for (const [r, snr] of [
      [harmful, 0.25],
      [benign, 0.8],
    ] as const) {
      const ref = gd64({ ...shape, snr });
      const where = `${backend} snr=${snr}: ${r.signal_learning} vs ${ref.gamma}, ${r.noise_memorization} vs ${ref.rho}`;
      assert.ok(Math.abs(r.signal_learning! - ref.gamma) < 1e-3 * Math.abs(ref.gamma) + 1e-6, where);
      assert.ok(Math.abs(r.noise_memorization! - ref.rho) < 1e-3 * ref.rho, where);
    }
    // paper-spec 3.1: benign means max gamma >> max |rho|; harmful the other way round
    assert.ok(benign.signal_learning! > 3 * benign.noise_memorization!, JSON.stringify(benign));
    assert.ok(harmful.noise_memorization! > 3 * harmful.signal_learning!, JSON.stringify(harmful));
    assert.ok(benign.test_error! < 0.1 && harmful.test_error! > 0.3);
  }
});

test('probe alignment is the norm of mu projected on the rows: collapsed rows score like one row', () => {
  const d = 4;
  // rows e_1 + e_2 and e_2 span e_1: the whole signal; a mean |cos| would give 0.35
  assert.ok(Math.abs(probeAlignment([1, 1, 0, 0, 0, 1, 0, 0], 0, 2, d, 1)! - 1) < 1e-12);
  // two rows on one direction (1, 1): half the signal's energy, like one row
  const one = probeAlignment([1, 1, 0, 0], 0, 1, d, 1)!;
  assert.ok(Math.abs(one - Math.SQRT1_2) < 1e-12);
  assert.ok(Math.abs(probeAlignment([1, 1, 0, 0, 2, 2, 0, 0], 0, 2, d, 1)! - one) < 1e-12);
  // a second row off the first by less than the rank tolerance adds nothing
  assert.ok(Math.abs(probeAlignment([1, 1, 0, 0, 1, 1 + 1e-5, 0, 1e-5], 0, 2, d, 1)! - one) < 1e-4);
  assert.equal(probeAlignment([0, 0, 1, 0], 0, 1, d, 1), 0);
  assert.equal(probeAlignment([1, 0, 0, 0], 0, 1, d, 0), null);
});

test('head change is the relative Frobenius norm of the move over both head matrices', () => {
  const initial = { v1: Float64Array.from([3, 0]), v2: Float64Array.from([4]) };
  const final = { v1: Float64Array.from([3, 1]), v2: Float64Array.from([4]) };
  assert.ok(Math.abs(headChange(initial, final)! - 0.2) < 1e-12);
  assert.equal(headChange({ v1: new Float64Array(0), v2: new Float64Array(0) }, initial), null);
});

test('the best iterate is chosen on the validation set, and SimCLR cells carry the encoder metrics', async () => {
  const cells = [
    ...grid({ n_labels: 16, steps: 300, n_test: 400, n_val: 300 }, { snr: [0.2, 1.0] }),
    ...grid(
      { method: 'simclr', n_unlabeled: 100, pretrain_steps: 300, steps: 300, n_test: 400 },
      { snr: [0.2] },
    ),
    ...grid(
      {
        method: 'simclr',
        n_unlabeled: 100,
        pretrain_steps: 300,
        steps: 300,
        n_test: 400,
        finetune: 'linear_probe',
      },
      { snr: [0.2] },
    ),
  ];
  const [harmful, benign, simclr, probe] = await trainCells(cells, { backend: 'js' });
  for (const r of [harmful, benign, simclr, probe]) {
    const point = r.curve.find((p) => p.step === r.best_step);
    assert.ok(point, `best_step ${r.best_step} is a logged iterate`);
    assert.equal(r.best_test_error, Math.round(point.test_error * 400) / 400);
  }
  for (const r of [harmful, benign]) {
    for (const metric of [
      'pretrain_alignment',
      'probe_alignment',
      'linear_probe_error',
      'head_change',
    ] as const)
      assert.equal(r[metric], null, metric);
  }
  assert.ok(simclr.pretrain_alignment! > 0.8, `pre-trained alignment ${simclr.pretrain_alignment}`);
  assert.ok(simclr.probe_alignment! >= simclr.pretrain_alignment! - 1e-9);
  assert.ok(simclr.linear_probe_error! < 0.1, `linear probe ${simclr.linear_probe_error}`);
  assert.equal(simclr.head_change, null, 'the identity head has no weights');
  // the probe cell: the same encoder, so the same probe error; its gamma and rho are not measured
  assert.equal(probe.linear_probe_error, probe.test_error);
  assert.equal(probe.linear_probe_error, simclr.linear_probe_error);
  assert.equal(probe.signal_learning, null);
  assert.equal(probe.noise_memorization, null);
  assert.equal(probe.diverged, false);
});
