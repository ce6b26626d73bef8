import * as tf from '@tensorflow/tfjs-core';
import type { UnlabeledSet } from './data.ts';

// SimCLR pre-training (paper-spec 2.2, 3.2, 6.3): linear encoder h(x) = W z with z = x^(1) + x^(2),
// identity head, inner-product similarity / tau, one-sided full-batch InfoNCE, GD at rate eta_0, and
// every row renormalised to its initial norm after each step (keeps the power-method regime). B cells
// that differ only in ||mu|| share the unlabeled noise and train as one batched program.

export interface PretrainGroup {
  set: UnlabeledSet;
  signalNorms: number[];
  /** M x d initial rows (the same for every cell) */
  init: Float64Array;
  rows: number;
  steps: number;
  lr: number;
  tau: number;
  rowNorm: number;
}

export interface PretrainProgress {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  chunks: number;
}

/** z_i = y_i mu + xi_i for every cell: B x n x d and its transpose B x d x n */
function sums(set: UnlabeledSet, noise: Float64Array, signalNorms: number[]) {
  const { n, d } = set;
  const B = signalNorms.length;
  const z = new Float32Array(B * n * d);
  const zT = new Float32Array(B * d * n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < d; k++) {
        const v = k === 0 ? set.y[i] * signalNorms[b] : noise[i * d + k];
        z[(b * n + i) * d + k] = v;
        zT[(b * d + k) * n + i] = v;
      }
    }
  }
  return { z: tf.tensor3d(z, [B, n, d]), zT: tf.tensor3d(zT, [B, d, n]) };
}

/** Returns B x M x d pre-trained rows. */
export async function pretrain(group: PretrainGroup, progress: PretrainProgress): Promise<Float32Array> {
  const { set, signalNorms, rows, steps, lr, tau, rowNorm } = group;
  const B = signalNorms.length;
  const { n, d } = set;
  const consts = tf.tidy(() => ({
    a: sums(set, set.noise, signalNorms),
    v: sums(set, set.viewNoise, signalNorms),
    eye: tf.eye(n),
  }));
  const init = tf.tensor2d(Float32Array.from(group.init), [rows, d]);
  let w = tf.tidy(() => tf.tile(tf.expandDims(init, 0), [B, 1, 1])) as tf.Tensor3D;

  function step(): void {
    const next = tf.tidy(() => {
      const h = tf.matMul(w, consts.a.zT); // B x M x n
      const hv = tf.matMul(w, consts.v.zT);
      const s = tf.div(tf.matMul(tf.transpose(h, [0, 2, 1]), hv), tau); // B x n x n: s_ij = <h_i, hv_j>/tau
      const g = tf.div(tf.sub(tf.softmax(s), consts.eye), n); // dL/ds
      // dL/dh = hv g^T / tau, computed as (g hv^T)^T to avoid transposing the n x n matrix.
      const dh = tf.transpose(tf.matMul(g, tf.transpose(hv, [0, 2, 1])), [0, 2, 1]);
      const dhv = tf.matMul(h, g);
      const grad = tf.div(tf.add(tf.matMul(dh, consts.a.z), tf.matMul(dhv, consts.v.z)), tau);
      const moved = tf.sub(w, tf.mul(grad, lr));
      const norms = tf.sqrt(tf.sum(tf.square(moved), 2, true));
      return tf.mul(moved, tf.div(rowNorm, norms)) as tf.Tensor3D;
    });
    w.dispose();
    w = next;
  }

  try {
    const chunk = Math.max(1, Math.ceil(steps / Math.max(1, progress.chunks)));
    for (let done = 0; done < steps;) {
      progress.signal?.throwIfAborted();
      const upto = Math.min(steps, done + chunk);
      for (; done < upto; done++) step();
      // A tiny read per chunk yields to the event loop so that an abort can arrive.
      const probe = tf.slice(w, [0, 0, 0], [1, 1, 1]);
      await probe.data();
      probe.dispose();
      progress.onProgress?.(done / steps);
    }
    return (await w.data()) as Float32Array;
  } finally {
    tf.dispose([w, init]);
    tf.dispose(consts as unknown as tf.TensorContainer);
  }
}
