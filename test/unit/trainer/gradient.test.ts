import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initBackend } from '../../../trainer/backend.ts';
import { labeledSet, signalNorm } from '../../../trainer/data.ts';
import { Rng } from '../../../trainer/random.ts';
import { gradient64, loss64, type Net64, type Sample64 } from '../../helpers/reference64.ts';
import { trainSupervisedFused } from '../../../trainer/fused-supervised.ts';
import { trainSupervised } from '../../../trainer/supervised.ts';

// Spec 6.5 check 2 in float64, then the tfjs and fused ('js') updates checked against the float64 formula.

const d = 7;
const m = 3;
const n = 9;

function samples(snr: number, p: number): { set: ReturnType<typeof labeledSet>; data: Sample64[] } {
  const set = labeledSet(11, 'train', n, d, 1, p);
  const mu = signalNorm(snr, 1, d);
  const data = Array.from({ length: n }, (_, i) => {
    const signal = new Float64Array(d);
    signal[0] = set.yTrue[i] * mu;
    return { patches: [signal, set.noise.slice(i * d, (i + 1) * d)], y: set.yObs[i] };
  });
  return { set, data };
}

function weights(scale: number): Float64Array {
  const rng = new Rng(5, 'gradient-test');
  return Float64Array.from({ length: 2 * m * d }, () => scale * rng.normal());
}

for (const q of [1, 2, 3]) {
  test(`analytic gradient matches central finite differences in float64 (q=${q})`, () => {
    const { data } = samples(0.7, 0.2);
    const net: Net64 = { m, d, q, w: weights(0.4) };
    const grad = gradient64(net, data);
    const h = 1e-6;
    let maxRel = 0;
    for (let k = 0; k < net.w.length; k++) {
      const plus = new Float64Array(net.w);
      const minus = new Float64Array(net.w);
      plus[k] += h;
      minus[k] -= h;
      const fd = (loss64({ ...net, w: plus }, data) - loss64({ ...net, w: minus }, data)) / (2 * h);
      const rel = Math.abs(fd - grad[k]) / Math.max(1e-6, Math.abs(fd) + Math.abs(grad[k]));
      maxRel = Math.max(maxRel, rel);
    }
    assert.ok(maxRel < 1e-5, `max relative error ${maxRel}`);
    assert.ok(Math.max(...grad.map(Math.abs)) > 1e-3, 'gradient is not trivially zero');
  });
}

for (const backend of ['cpu', 'wasm', 'js'] as const) {
  for (const q of [1, 3]) {
    test(`one GD step (${backend}, q=${q}) equals w - lr * float64 gradient, batched over two SNRs`, async () => {
      await initBackend(backend);
      const train = backend === 'js' ? trainSupervisedFused : trainSupervised;
      const snrs = [0.7, 0.2];
      const lr = 0.5;
      const w = weights(0.4);
      const init = new Float32Array(2 * w.length);
      init.set(w, 0);
      init.set(w, w.length);
      const { set } = samples(snrs[0], 0.2);
      const out = await train(
        {
          m,
          q,
          lr,
          steps: 1,
          train: set,
          val: labeledSet(12, 'val', 5, d, 1, 0),
          test: labeledSet(12, 'test', 5, d, 1, 0),
          signalNorms: snrs.map((s) => signalNorm(s, 1, d)),
          init,
        },
        { curvePoints: 1 },
      );
      snrs.forEach((snr, b) => {
        const w32 = Float64Array.from(w, (v) => Math.fround(v));
        const grad = gradient64({ m, d, q, w: w32 }, samples(snr, 0.2).data);
        let maxErr = 0;
        let scale = 0;
        for (let k = 0; k < w.length; k++) {
          const step = (w32[k] - out.weights[b * w.length + k]) / lr;
          maxErr = Math.max(maxErr, Math.abs(step - grad[k]));
          scale = Math.max(scale, Math.abs(grad[k]));
        }
        assert.ok(scale > 1e-3);
        assert.ok(maxErr < 1e-4 * scale + 1e-6, `snr ${snr}: max error ${maxErr} vs gradient scale ${scale}`);
      });
    });
  }
}
