import { contrastiveLoss, stepHead, type Head } from './contrastive.ts';
import { runInChunks } from './chunked-steps.ts';
import { stepEncoderRows } from './encoder-step.ts';
import type { PretrainGroup, PretrainProgress, Pretrained } from './simclr.ts';
import { SimdArena } from './simd.ts';
import { DivergenceWatch } from './pretrain-divergence.ts';

// SimCLR pre-training with SimCLR's design choices (a trained head, cosine similarity, the symmetric
// loss, mini-batches) in plain TypeScript for CPU hosts. The moment expansion of fused-simclr.ts needs
// the identity head, the inner product and the full batch, so here the B x B similarities are explicit
// (contrastive.ts, float64); the encoder products with the data, which dominate for d >> B, run on the
// SIMD kernel. Per step: gather the batch's views, embed them for every row of every cell, take each
// cell's loss gradient in its embeddings and head, and move the rows and the head together.

export async function pretrainFusedGeneral(
  group: PretrainGroup,
  progress: PretrainProgress,
): Promise<Pretrained> {
  const { views, signalNorms, rows: M, steps, lr, rowNorm, batches, batch: B } = group;
  const cells = signalNorms.length;
  const { d } = views;
  const RA = cells * M;

  const arena = new SimdArena(4 * B * d + 2 * RA * B + RA * d + 64);
  const aTAt = arena.alloc(d * B); // the batch's anchor noise, transposed
  const vTAt = arena.alloc(d * B);
  const bothAt = arena.alloc(2 * B * d); // anchor rows then view rows
  const hAt = arena.alloc(RA * B);
  const hvAt = arena.alloc(RA * B);
  const gradAt = arena.alloc(RA * d);
  const f = arena.f32;

  const w = new Float64Array(RA * d);
  for (let b = 0; b < cells; b++) w.set(group.init, b * M * d);
  const encoder = { w, rows: RA, d, lr, rowNorm: group.renormalize ? rowNorm : null };
  const heads: Head[] = signalNorms.map(() => ({
    ...group.head,
    v1: Float64Array.from(group.head.v1),
    v2: Float64Array.from(group.head.v2),
  }));
  const index = Int32Array.from({ length: B }, (_, i) => i);
  const sa = new Float64Array(B);
  const sv = new Float64Array(B);
  const h = new Float64Array(B * M);
  const hv = new Float64Array(B * M);
  const grad = {
    dh: new Float64Array(B * M),
    dhv: new Float64Array(B * M),
    dv1: new Float64Array(group.head.v1.length),
    dv2: new Float64Array(group.head.v2.length),
  };
  const dBoth = new Float64Array(RA * 2 * B);
  const watch = new DivergenceWatch(cells, M * d);

  function gather(t: number): void {
    if (batches) index.set(batches.subarray(t * B, (t + 1) * B));
    else if (t > 0) return; // the full batch never changes
    for (let i = 0; i < B; i++) {
      const row = index[i];
      sa[i] = views.anchorSignal[row];
      sv[i] = views.viewSignal[row];
      for (let k = 0; k < d; k++) {
        const a = views.anchorNoise[row * d + k];
        const v = views.viewNoise[row * d + k];
        f[aTAt + k * B + i] = a;
        f[vTAt + k * B + i] = v;
        f[bothAt + i * d + k] = a;
        f[bothAt + (B + i) * d + k] = v;
      }
    }
  }

  function step(t: number): void {
    gather(t);
    f.fill(0, hAt, hAt + 2 * RA * B);
    for (let r = 0; r < RA; r++) {
      // h_r(x_i) = <w_r, noise_i> + w_r[0] c_i ||mu||
      arena.addCombination(hAt + r * B, B, w, r * d, d, aTAt);
      arena.addCombination(hvAt + r * B, B, w, r * d, d, vTAt);
      const sig = w[r * d] * signalNorms[Math.floor(r / M)];
      for (let i = 0; i < B; i++) {
        f[hAt + r * B + i] += sig * sa[i];
        f[hvAt + r * B + i] += sig * sv[i];
      }
    }
    for (let b = 0; b < cells; b++) {
      for (let a = 0; a < M; a++) {
        const o = (b * M + a) * B;
        for (let i = 0; i < B; i++) {
          h[i * M + a] = f[hAt + o + i];
          hv[i * M + a] = f[hvAt + o + i];
        }
      }
      grad.dv1.fill(0);
      grad.dv2.fill(0);
      contrastiveLoss(h, hv, B, heads[b], group.loss, grad);
      stepHead(heads[b], grad, group.headLr);
      for (let a = 0; a < M; a++) {
        const o = (b * M + a) * 2 * B;
        for (let i = 0; i < B; i++) {
          dBoth[o + i] = grad.dh[i * M + a];
          dBoth[o + B + i] = grad.dhv[i * M + a];
        }
      }
    }
    f.fill(0, gradAt, gradAt + RA * d);
    for (let r = 0; r < RA; r++) {
      arena.addCombination(gradAt + r * d, d, dBoth, r * 2 * B, 2 * B, bothAt);
      let ys = 0;
      for (let i = 0; i < B; i++) ys += dBoth[r * 2 * B + i] * sa[i] + dBoth[r * 2 * B + B + i] * sv[i];
      f[gradAt + r * d] += ys * signalNorms[Math.floor(r / M)];
    }
    stepEncoderRows(encoder, f, gradAt, 1);
    watch.check(w, heads);
  }

  await runInChunks({ steps, step, progress });
  return { weights: Float32Array.from(w), heads, diverged: watch.diverged };
}
