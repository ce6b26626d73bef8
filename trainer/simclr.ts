import { runTfjsInChunks } from './tfjs-chunked-steps.ts';
import * as tf from '@tensorflow/tfjs-core';
import type { PretrainViews } from './augment.ts';
import {
  momentsApply,
  weightlessHeads,
  type Head,
  type HeadWeights,
  type LossConfig,
} from './contrastive.ts';
import { pretrainGeneral } from './simclr-general.ts';
import { divergedCells } from './pretrain-divergence.ts';

// SimCLR pre-training (paper-spec 2.2, 3.2, 6.3): linear encoder h(x) = W z with z = x^(1) + x^(2),
// identity head, inner-product similarity / tau, one-sided full-batch InfoNCE, GD at rate eta_0, and
// every row renormalised to its initial norm after each step (keeps the power-method regime). B cells
// that differ only in ||mu|| share the unlabeled noise and train as one batched program.

export interface PretrainGroup {
  views: PretrainViews;
  signalNorms: number[];
  /** M x d initial rows (the same for every cell) */
  init: Float64Array;
  rows: number;
  steps: number;
  lr: number;
  /** the head's own rate */
  headLr: number;
  rowNorm: number;
  /** rows back to rowNorm after every step (paper-spec 2.2's caveat), or plain GD */
  renormalize: boolean;
  /** initial head, the same for every cell; each cell trains its own copy */
  head: Head;
  loss: LossConfig;
  /** steps x batch anchor indices, or null for full-batch steps */
  batches: Int32Array | null;
  batch: number;
}

/** The pre-trained rows, B x M x d, each cell's head as pre-training left it, and which cells diverged
 * (pretrain-divergence.ts). */
export interface Pretrained {
  weights: Float32Array;
  heads: HeadWeights[];
  diverged: boolean[];
}

export interface PretrainProgress {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  chunks: number;
}

// The wasm backend's batched (3-D) matmul is ~10x slower than its 2-D one, so the batch is laid out
// as 2-D products: every cell's rows stacked against the shared noise, plus the signal coordinate
// z[0] = y ||mu|| added as a rank-one term per cell; only the n x n similarity work is per cell.

export async function pretrain(group: PretrainGroup, progress: PretrainProgress): Promise<Pretrained> {
  if (!momentsApply(group.head.kind, group.loss, group.batches === null))
    return pretrainGeneral(group, progress);
  const { views, signalNorms, rows, steps, lr, rowNorm } = group;
  const { tau } = group.loss;
  const B = signalNorms.length;
  const { n, d } = views;
  const R = B * rows;
  const noiseT = new Float32Array(d * n);
  const viewT = new Float32Array(d * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      noiseT[k * n + i] = views.anchorNoise[i * d + k];
      viewT[k * n + i] = views.viewNoise[i * d + k];
    }
  }
  const both = new Float32Array(2 * n * d);
  both.set(Float32Array.from(views.anchorNoise));
  both.set(Float32Array.from(views.viewNoise), n * d);
  const rowMu = Float32Array.from({ length: R }, (_, r) => signalNorms[Math.floor(r / rows)]);
  const e1 = new Float32Array(d);
  e1[0] = 1;
  const consts = {
    noiseT: tf.tensor2d(noiseT, [d, n]),
    viewT: tf.tensor2d(viewT, [d, n]),
    both: tf.tensor2d(both, [2 * n, d]),
    yRow: tf.tensor2d(Float32Array.from(views.anchorSignal), [1, n]),
    yViewRow: tf.tensor2d(Float32Array.from(views.viewSignal), [1, n]),
    yBoth: tf.tensor2d(Float32Array.from([...views.anchorSignal, ...views.viewSignal]), [2 * n, 1]),
    rowMu: tf.tensor2d(rowMu, [R, 1]),
    e1: tf.tensor2d(e1, [1, d]),
    eye: tf.eye(n),
  };
  const init = new Float32Array(R * d);
  for (let b = 0; b < B; b++) init.set(Float32Array.from(group.init), b * rows * d);
  let w = tf.tensor2d(init, [R, d]);

  function step(): void {
    const next = tf.tidy(() => {
      // h_r(x_i) = <w_r, xi_i> + w_r[0] y_i ||mu||
      const wMu = tf.mul(tf.slice(w, [0, 0], [R, 1]), consts.rowMu);
      const h = tf.add(tf.matMul(w, consts.noiseT), tf.matMul(wMu, consts.yRow)); // R x n
      const hv = tf.add(tf.matMul(w, consts.viewT), tf.matMul(wMu, consts.yViewRow));
      const dh: tf.Tensor[] = [];
      const dhv: tf.Tensor[] = [];
      for (let b = 0; b < B; b++) {
        const hb = tf.slice(h, [b * rows, 0], [rows, n]);
        const hvb = tf.slice(hv, [b * rows, 0], [rows, n]);
        const s = tf.div(tf.matMul(tf.transpose(hb), hvb), tau); // s_ij = <h_i, hv_j> / tau
        const g = tf.div(tf.sub(tf.softmax(s), consts.eye), n); // dL/ds
        // dL/dh = hv g^T / tau, computed as (g hv^T)^T to avoid transposing the n x n matrix.
        dh.push(tf.transpose(tf.matMul(g, tf.transpose(hvb))));
        dhv.push(tf.matMul(hb, g));
      }
      const dBoth = tf.concat([tf.concat(dh, 0), tf.concat(dhv, 0)], 1); // R x 2n
      const gradNoise = tf.matMul(dBoth, consts.both);
      const gradSignal = tf.mul(tf.mul(tf.matMul(dBoth, consts.yBoth), consts.rowMu), consts.e1);
      const grad = tf.div(tf.add(gradNoise, gradSignal), tau);
      const moved = tf.sub(w, tf.mul(grad, lr));
      if (!group.renormalize) return moved as tf.Tensor2D;
      const norms = tf.sqrt(tf.sum(tf.square(moved), 1, true));
      return tf.mul(moved, tf.div(rowNorm, norms)) as tf.Tensor2D;
    });
    w.dispose();
    w = next;
  }

  try {
    await runTfjsInChunks({
      steps,
      step,
      progress,
      probe: () => tf.slice(w, [0, 0], [1, 1]),
    });
    const weights = (await w.data()) as Float32Array;
    const heads = weightlessHeads(B);
    return { weights, heads, diverged: divergedCells(weights, rows * d, heads) };
  } finally {
    w.dispose();
    tf.dispose(Object.values(consts));
  }
}
