import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialFilters, labeledSet, signalNorm, type LabeledSet } from '../../../trainer/data.ts';
import { trainCells } from '../../../trainer/index.ts';
import { gradient64, output64, type Net64 } from '../../helpers/reference64.ts';
import { logistic64 } from '../../../trainer/metrics.ts';
import { grid, SNR_61 } from '../../helpers/trainer-grid.ts';

// Cells of the 6.1 grid next to the phase boundary, where a small numerical change would most easily
// move an outcome, trained once more in plain float64 from the formulas (no Gram form, no float32, no
// flushing of tiny coefficients: in float64 they are normal numbers) and compared with the js path.
// Test errors here lie between 0.1 and 0.5, so agreement is not the trivial agreement of two zeros.

function patches(set: LabeledSet, i: number, mu: number): Float64Array[] {
  const signal = new Float64Array(set.d);
  signal[0] = set.yTrue[i] * mu;
  return [signal, set.noise.slice(i * set.d, (i + 1) * set.d)];
}

function train64(n: number, snr: number): { testError: number; trainLoss: number } {
  const c = grid({ n_labels: n, snr }, {})[0];
  const mu = signalNorm(snr, c.sigma_p, c.d);
  const train = labeledSet(c.seed, 'train', n, c.d, c.sigma_p, c.p);
  const test = labeledSet(c.seed, 'test', c.n_test, c.d, c.sigma_p, c.p);
  const data = Array.from({ length: n }, (_, i) => ({ patches: patches(train, i, mu), y: train.yObs[i] }));
  // The js path starts from the float32 rounding of the same filters.
  const w = Float64Array.from(Float32Array.from(initialFilters(c.seed, c.m, c.d, c.sigma0)));
  const net: Net64 = { m: c.m, d: c.d, q: c.q, w };
  for (let step = 0; step < c.steps; step++) {
    const grad = gradient64(net, data);
    for (let k = 0; k < w.length; k++) w[k] -= c.lr * grad[k];
  }
  let wrong = 0;
  for (let i = 0; i < test.n; i++) if (test.yObs[i] * output64(net, patches(test, i, mu)) <= 0) wrong++;
  const loss = data.reduce((s, x) => s + logistic64(x.y * output64(net, x.patches)), 0) / n;
  return { testError: wrong / test.n, trainLoss: loss };
}

const transition = [
  { n: 4, snr: SNR_61[7] },
  { n: 4, snr: SNR_61[8] },
  { n: 16, snr: SNR_61[5] },
  { n: 16, snr: SNR_61[6] },
  { n: 64, snr: SNR_61[4] },
];

test('cells in the transition: the js path agrees with plain float64 GD', async () => {
  const cells = transition.map(({ n, snr }) => grid({ n_labels: n, snr }, {})[0]);
  const js = await trainCells(cells, { backend: 'js' });
  for (const [k, { n, snr }] of transition.entries()) {
    const ref = train64(n, snr);
    const where = `n=${n} snr=${snr.toFixed(2)}`;
    // at most 2 of the 1000 test points on the other side
    assert.ok(
      Math.abs(js[k].test_error! - ref.testError) <= 0.002,
      `${where}: test error ${js[k].test_error} vs ${ref.testError}`,
    );
    const loss = js[k].train_loss!;
    assert.ok(
      Math.abs(loss - ref.trainLoss) <= 1e-3 * Math.max(loss, ref.trainLoss),
      `${where}: training loss ${loss} vs ${ref.trainLoss}`,
    );
  }
});
