import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainSupervisedFused } from '../../../trainer/fused-supervised.ts';
import { grid, SNR_61, supervisedGroupAt } from '../../helpers/trainer-grid.ts';

// The fused supervised trainer on either SIMD kernel: relaxed SIMD's fused multiply-add rounds each
// product-and-sum once instead of twice, so the two differ in the last float32 bits only. Cells next
// to the phase boundary, where such a difference would first move an outcome.
test('the fused trainer gives the same outcomes with and without fused multiply-add', async () => {
  for (const n of [16, 64]) {
    const c = grid({ n_labels: n }, {})[0];
    const snrs = SNR_61.slice(3, 7);
    const group = supervisedGroupAt(c, snrs);
    const fused = await trainSupervisedFused(group, { curvePoints: 1 }, { fusedMultiplyAdd: true });
    const plain = await trainSupervisedFused(group, { curvePoints: 1 }, { fusedMultiplyAdd: false });
    const nt = group.test.n;
    for (let b = 0; b < snrs.length; b++) {
      const where = `n=${n} snr=${snrs[b].toFixed(2)}`;
      let flipped = 0;
      for (let i = b * nt; i < (b + 1) * nt; i++) if (fused.fTest[i] * plain.fTest[i] <= 0) flipped++;
      assert.ok(flipped <= 2, `${where}: ${flipped} test points change side`);
      const lossF = fused.curve[0].trainLoss[b];
      const lossP = plain.curve[0].trainLoss[b];
      assert.ok(Math.abs(lossF - lossP) <= 1e-3 * Math.max(lossF, lossP), `${where}: ${lossF} vs ${lossP}`);
    }
    let worst = 0;
    for (let k = 0; k < fused.weights.length; k++) {
      worst = Math.max(worst, Math.abs(fused.weights[k] - plain.weights[k]));
    }
    assert.ok(worst < 1e-5, `n=${n}: filters differ by ${worst}`);
  }
});
