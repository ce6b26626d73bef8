import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchSchedule, pretrainViews, randomDirection, reflect } from '../../../trainer/augment.ts';
import { initialHead, type LossConfig } from '../../../trainer/contrastive.ts';
import { unlabeledSet } from '../../../trainer/data.ts';
import { NEGATIVES, PROJECTION_HEADS, type ProjectionHead } from '../../../trainer/params.ts';
import { Rng } from '../../../trainer/random.ts';
import {
  pretrainGradient64,
  pretrainLoss64,
  type PretrainNet64,
  type PretrainPair64,
} from '../../helpers/reference64.ts';
import { pairsOf } from '../../helpers/pretrain-pairs.ts';

// Every SimCLR loss variant's float64 gradient (in the encoder filters and the head) against central
// finite differences: heads, similarities, the symmetric loss, both sets of negatives, a mini-batch,
// and both augmentations.

const d = 6;
const M = 4;
const n = 7;

function filters(scale: number): Float64Array {
  const rng = new Rng(3, 'pretrain-gradient-test');
  return Float64Array.from({ length: M * d }, () => scale * rng.normal());
}

function maxRelativeError(net: PretrainNet64, pairs: PretrainPair64[], cfg: LossConfig): number {
  const grad = pretrainGradient64(net, pairs, cfg);
  const h = 1e-6;
  let worst = 0;
  let largest = 0;
  for (const [name, values] of [
    ['w', net.w],
    ['v1', net.head.v1],
    ['v2', net.head.v2],
  ] as const) {
    for (let x = 0; x < values.length; x++) {
      const keep = values[x];
      values[x] = keep + h;
      const plus = pretrainLoss64(net, pairs, cfg);
      values[x] = keep - h;
      const minus = pretrainLoss64(net, pairs, cfg);
      values[x] = keep;
      const fd = (plus - minus) / (2 * h);
      const analytic = grad[name][x];
      largest = Math.max(largest, Math.abs(analytic));
      worst = Math.max(worst, Math.abs(fd - analytic) / Math.max(1e-7, Math.abs(fd) + Math.abs(analytic)));
    }
  }
  assert.ok(largest > 1e-4, `gradient is not trivially zero (largest ${largest})`);
  return worst;
}

const set = unlabeledSet(4, n, d, 1);
const all = Array.from({ length: n }, (_, i) => i);
const plain = pretrainViews(set, { seed: 4, keep: 0, mask: 0 });

for (const kind of PROJECTION_HEADS) {
  for (const similarity of ['dot', 'cosine'] as const) {
    for (const symmetric of [false, true]) {
      for (const negatives of NEGATIVES) {
        test(`pre-training gradient = finite differences: ${kind} head, ${similarity}, symmetric ${symmetric}, negatives ${negatives}`, () => {
          const head = initialHead(9, kind as ProjectionHead, M, kind === 'identity' ? M : 3);
          const net: PretrainNet64 = { M, d, w: filters(0.5), head };
          const cfg = { similarity, symmetric, tau: 0.7, negatives };
          const err = maxRelativeError(net, pairsOf(plain, 0.8, all), cfg);
          assert.ok(err < 1e-5, `max relative error ${err}`);
        });
      }
    }
  }
}

test("negatives 'all' is Chen et al.'s NT-Xent: with the symmetric loss, each of the 2B views against the other 2B - 1", () => {
  const head = initialHead(9, 'identity', M, M);
  const net: PretrainNet64 = { M, d, w: filters(0.5), head };
  const pairs = pairsOf(plain, 0.8, all);
  const tau = 0.7;
  // z_1..z_2B: anchors then views, embedded and compared by cosine / tau, written from the paper's formula
  const emb = [...pairs.map((p) => p.anchor), ...pairs.map((p) => p.view)].map((patches) => {
    const h = Array.from({ length: M }, (_, r) => {
      let s = 0;
      for (const x of patches) for (let k = 0; k < d; k++) s += net.w[r * d + k] * x[k];
      return s;
    });
    const norm = Math.hypot(...h);
    return h.map((v) => v / norm);
  });
  const B = pairs.length;
  let sum = 0;
  for (let a = 0; a < 2 * B; a++) {
    const positive = (a + B) % (2 * B);
    const sim = (b: number) => emb[a].reduce((s, v, r) => s + v * emb[b][r], 0) / tau;
    let denominator = 0;
    for (let b = 0; b < 2 * B; b++) if (b !== a) denominator += Math.exp(sim(b));
    sum += -Math.log(Math.exp(sim(positive)) / denominator);
  }
  const ntXent = sum / (2 * B);
  const ours = pretrainLoss64(net, pairs, { similarity: 'cosine', symmetric: true, tau, negatives: 'all' });
  assert.ok(Math.abs(ours - ntXent) < 1e-12, `${ours} vs ${ntXent}`);
  const cross = pretrainLoss64(net, pairs, {
    similarity: 'cosine',
    symmetric: true,
    tau,
    negatives: 'cross',
  });
  assert.ok(ours - cross > 1e-3, 'the anchor-anchor negatives add to the loss');
});

test('pre-training gradient = finite differences on a mini-batch of augmented, masked views', () => {
  const views = pretrainViews(set, { seed: 4, keep: 0.6, mask: 0.3 });
  assert.ok(views.anchorSignal.some((c) => c === 0) || views.viewSignal.some((c) => c === 0));
  const batch = [...batchSchedule(4, n, 4, 1)!];
  assert.equal(new Set(batch).size, 4);
  const net: PretrainNet64 = { M, d, w: filters(0.5), head: initialHead(9, 'mlp', M, 5) };
  const err = maxRelativeError(net, pairsOf(views, 0.8, batch), {
    similarity: 'cosine',
    symmetric: true,
    tau: 0.5,
    negatives: 'all',
  });
  assert.ok(err < 1e-5, `max relative error ${err}`);
});

test('augment_keep mixes the anchor noise into the view: keep 1 makes the view the anchor', () => {
  const same = pretrainViews(set, { seed: 4, keep: 1, mask: 0 });
  assert.deepEqual([...same.viewNoise], [...set.noise]);
  const half = pretrainViews(set, { seed: 4, keep: 0.5, mask: 0 });
  const k = d + 2;
  assert.ok(Math.abs(half.viewNoise[k] - (0.5 * set.noise[k] + Math.sqrt(0.75) * set.viewNoise[k])) < 1e-15);
  // the defaults hand out today's arrays unchanged
  assert.equal(plain.viewNoise, set.viewNoise);
});

test('signal_direction random: the mask removes part of the signal in the data frame, e1 all or none', () => {
  const dd = 50;
  const count = 40;
  const u = randomDirection(3, dd);
  const x = Float64Array.from(u);
  reflect(u, x);
  assert.ok(Math.abs(x[0] - 1) < 1e-12 && x.slice(1).every((v) => Math.abs(v) < 1e-12), 'H u = e_1');
  reflect(u, x);
  assert.ok(
    x.every((v, k) => Math.abs(v - u[k]) < 1e-12),
    'H H = I',
  );
  // noise-free samples: a view is its masked signal only
  const quiet = {
    n: count,
    d: dd,
    y: Float64Array.from({ length: count }, (_, i) => (i % 2 ? 1 : -1)),
    noise: new Float64Array(count * dd),
    viewNoise: new Float64Array(count * dd),
  };
  const norm = 2;
  const shares = (direction?: { u: Float64Array; signalNorm: number }) => {
    const views = pretrainViews(quiet, { seed: 5, keep: 0, mask: 0.3, direction });
    return Array.from({ length: count }, (_, i) => {
      const v = views.viewNoise.slice(i * dd, (i + 1) * dd);
      v[0] += views.viewSignal[i] * norm;
      // back in the data frame, where the mask zeroed coordinates
      if (direction) reflect(u, v);
      return v.reduce((s, c) => s + c * c, 0) / norm ** 2;
    });
  };
  const e1 = shares();
  assert.ok(
    e1.every((s) => Math.abs(s) < 1e-12 || Math.abs(s - 1) < 1e-12),
    'e_1: all or none',
  );
  const random = shares({ u, signalNorm: norm });
  assert.ok(
    random.every((s) => s > 0.2 && s < 0.99),
    `random: a part of the signal ${random.join(' ')}`,
  );
  const mean = random.reduce((a, b) => a + b, 0) / count;
  assert.ok(Math.abs(mean - 0.7) < 0.1, `about the kept share of coordinates: ${mean}`);
});
