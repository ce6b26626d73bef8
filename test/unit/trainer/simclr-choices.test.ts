import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchSchedule, pretrainViews } from '../../../trainer/augment.ts';
import { initialHead } from '../../../trainer/contrastive.ts';
import { signalNorm, unlabeledSet } from '../../../trainer/data.ts';
import { pretrainFused } from '../../../trainer/fused-simclr.ts';
import { trainCells, type CellParamsInput } from '../../../trainer/index.ts';
import { Rng } from '../../../trainer/random.ts';
import { pretrainGradient64 } from '../../helpers/reference64.ts';
import { pretrain, type PretrainGroup } from '../../../trainer/simclr.ts';
import { grid } from '../../helpers/trainer-grid.ts';
import { pairsOf } from '../../helpers/pretrain-pairs.ts';

// SimCLR's design choices on the fast path: one step of each pre-training program equals the float64
// gradient step (encoder at its rate, head at its own), and whole cells of the fused path ('js') agree with the tfjs program (wasm) on every
// new parameter, on both sides of the boundary (SNR 0.1: no alignment at n_0 = 64; SNR 0.3: aligned).

const d = 6;
const M = 4;
const n = 7;

function oneStepGroup(lr: number, headLr: number): PretrainGroup {
  const rng = new Rng(8, 'one-step-test');
  return {
    views: pretrainViews(unlabeledSet(2, n, d, 1), { seed: 2, keep: 0.4, mask: 0.2 }),
    signalNorms: [signalNorm(0.9, 1, d), signalNorm(0.3, 1, d)],
    init: Float64Array.from({ length: M * d }, () => 0.3 * rng.normal()),
    rows: M,
    steps: 1,
    lr,
    headLr,
    rowNorm: 1,
    renormalize: false,
    head: initialHead(2, 'mlp', M, 5),
    loss: { similarity: 'cosine', symmetric: true, tau: 0.5, negatives: 'all' },
    batches: batchSchedule(2, n, 5, 1),
    batch: 5,
  };
}

for (const [name, program] of [
  ['js', pretrainFused],
  ['wasm', pretrain],
] as const) {
  test(`one ${name} pre-training step (mlp head, cosine, symmetric, all negatives, mini-batch, augmented) = w - lr * float64 gradient`, async () => {
    const lr = 0.3;
    const headLr = 2;
    const group = oneStepGroup(lr, headLr);
    if (name === 'wasm') await (await import('../../../trainer/backend.ts')).initBackend('wasm');
    const out = await program(group, { chunks: 1 });
    group.signalNorms.forEach((mu, b) => {
      const w32 = Float64Array.from(group.init, (v) => Math.fround(v));
      const snr = mu / Math.sqrt(d);
      const pairs = pairsOf(group.views, snr, [...group.batches!]);
      const full = pretrainGradient64({ M, d, w: w32, head: group.head }, pairs, group.loss);
      const grad = full.w;
      let worst = 0;
      let scale = 0;
      for (let x = 0; x < M * d; x++) {
        worst = Math.max(worst, Math.abs((w32[x] - out.weights[b * M * d + x]) / lr - grad[x]));
        scale = Math.max(scale, Math.abs(grad[x]));
      }
      assert.ok(scale > 1e-3);
      assert.ok(worst < 1e-4 * scale + 1e-6, `cell ${b}: max error ${worst} vs gradient scale ${scale}`);
      // the head moved by its own rate
      for (const key of ['v1', 'v2'] as const) {
        let headWorst = 0;
        let headScale = 0;
        for (let x = 0; x < group.head[key].length; x++) {
          const step = (group.head[key][x] - out.heads[b][key][x]) / headLr;
          headWorst = Math.max(headWorst, Math.abs(step - full[key][x]));
          headScale = Math.max(headScale, Math.abs(full[key][x]));
        }
        assert.ok(headScale > 1e-3, `${key} gradient ${headScale}`);
        assert.ok(headWorst < 1e-3 * headScale + 1e-5, `cell ${b} ${key}: ${headWorst} vs ${headScale}`);
      }
    });
  });
}

const base: CellParamsInput = {
  method: 'simclr',
  n_unlabeled: 64,
  pretrain_steps: 100,
  steps: 200,
  n_test: 300,
};
const variants: CellParamsInput[] = [
  { projection_head: 'linear' },
  { projection_head: 'mlp', head_dim: 8 },
  { projection_head: 'linear', head_lr: 5 },
  { negatives: 'all' },
  { negatives: 'all', symmetric: true, similarity: 'cosine' },
  { similarity: 'cosine', tau: 0.5 },
  { symmetric: true },
  { pretrain_batch: 16 },
  { renormalize: false },
  { augment_keep: 0.5 },
  { augment_mask: 0.3 },
  { augment_mask: 0.3, signal_direction: 'random' },
  { finetune: 'linear_probe' },
];

test('the fused path agrees with the tfjs program on every SimCLR design choice, both sides of the boundary', async () => {
  const cells = variants.flatMap((v) => grid({ ...base, ...v }, { snr: [0.1, 0.3] }));
  const js = await trainCells(cells, { backend: 'js' });
  const ref = await trainCells(cells, { backend: 'wasm' });
  cells.forEach((c, i) => {
    const where = `${JSON.stringify(variants[Math.floor(i / 2)])} snr=${c.snr}`;
    assert.equal(js[i].backend, 'js', where);
    assert.ok(Math.abs(js[i].pretrain_alignment! - ref[i].pretrain_alignment!) < 1e-3, where);
    assert.ok(Math.abs(js[i].signal_alignment! - ref[i].signal_alignment!) < 1e-3, where);
    assert.ok(Math.abs(js[i].best_test_error! - ref[i].best_test_error!) <= 0.01, where);
    assert.ok(Math.abs(js[i].test_error! - ref[i].test_error!) <= 0.01, where);
    assert.ok(Math.abs(js[i].probe_alignment! - ref[i].probe_alignment!) < 1e-3, where);
    assert.ok(Math.abs(js[i].linear_probe_error! - ref[i].linear_probe_error!) <= 0.01, where);
    const heads = c.projection_head !== 'identity';
    assert.equal(js[i].head_change === null, !heads, where);
    if (heads)
      assert.ok(Math.abs(js[i].head_change! - ref[i].head_change!) < 1e-3 * js[i].head_change!, where);
  });
  // both sides of the boundary: each variant has an aligned, learned cell and a failed one
  for (let v = 0; v < variants.length; v++) {
    const [low, high] = [js[2 * v], js[2 * v + 1]];
    assert.ok(high.test_error! < low.test_error!, JSON.stringify(variants[v]));
  }
});
