import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchSchedule, pretrainViews } from '../../../trainer/augment.ts';
import { initialHead, type LossConfig } from '../../../trainer/contrastive.ts';
import { unlabeledSet } from '../../../trainer/data.ts';
import { PROJECTION_HEADS, type ProjectionHead } from '../../../trainer/params.ts';
import { Rng } from '../../../trainer/random.ts';
import {
  pretrainGradient64,
  pretrainLoss64,
  type PretrainNet64,
  type PretrainPair64,
} from '../../helpers/reference64.ts';
import { pairsOf } from '../../helpers/pretrain-pairs.ts';

// Every SimCLR loss variant's float64 gradient (in the encoder filters and the head) against central
// finite differences: heads, similarities, the symmetric loss, a mini-batch, and both augmentations.

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
      test(`pre-training gradient = finite differences: ${kind} head, ${similarity}, symmetric ${symmetric}`, () => {
        const head = initialHead(9, kind as ProjectionHead, M, kind === 'identity' ? M : 3);
        const net: PretrainNet64 = { M, d, w: filters(0.5), head };
        const err = maxRelativeError(net, pairsOf(plain, 0.8, all), { similarity, symmetric, tau: 0.7 });
        assert.ok(err < 1e-5, `max relative error ${err}`);
      });
    }
  }
}

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
