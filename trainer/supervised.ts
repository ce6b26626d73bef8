import { runTfjsInChunks } from './tfjs-chunked-steps.ts';
import * as tf from '@tensorflow/tfjs-core';
import type { LabeledSet } from './data.ts';
import type { PhaseClock } from './phase-clock.ts';

// Batched full-batch gradient descent on the logistic loss (paper-spec 2.1, 3.1) as one tfjs program.
// B cells that share their training set (same n, seed, ...; they differ in ||mu|| and initial filters)
// stack their 2m filters into one K x d matrix (K = B*2m, rows ordered cell, branch, filter), so every
// heavy product is a single 2-D matmul with a constant, pre-transposed data matrix.
// Because mu = ||mu|| e_1 and the noise has a zero first coordinate, a filter meets the signal patch
// only through its first coordinate. Column 0 of the trained matrix holds u = ||mu|| w[0] instead of
// w[0], so that the two signal patches of every cell become two shared data columns, +e_1 and -e_1,
// next to the n noise patches: one matmul yields all activations. In these coordinates GD on w[0]
// moves u by ||mu||^2 times the gradient in u, a per-row factor applied to those two columns.

export interface SupervisedGroup {
  m: number;
  q: number;
  lr: number;
  steps: number;
  train: LabeledSet;
  /** picks the best iterate (never the test set) */
  val: LabeledSet;
  test: LabeledSet;
  /** ||mu|| of each cell */
  signalNorms: number[];
  /** B*2m x d initial filters, row-major */
  init: Float32Array;
}

export interface SupervisedProgress {
  signal?: AbortSignal;
  /** fraction of this group's steps done */
  onProgress?: (fraction: number) => void;
  curvePoints: number;
  /** charged with training and evaluation separately where the trainer can tell them apart */
  clock?: PhaseClock;
}

export interface GroupCurvePoint {
  step: number;
  trainLoss: Float32Array;
  valError: Float32Array;
  testError: Float32Array;
}

export interface SupervisedOutcome {
  /** B*2m x d final filters (column 0 is the signal coordinate) */
  weights: Float32Array;
  /** B x n outputs f on the training set */
  fTrain: Float32Array;
  /** B x n_test outputs on the test set */
  fTest: Float32Array;
  curve: GroupCurvePoint[];
}

interface SetTensors {
  n: number;
  xT: tf.Tensor2D; // d x (n+2): noise patches, then +e_1 and -e_1
  /** (n+2) x n: f = (C act) mix; identity on the noise columns, the label picks the signal column */
  mix: tf.Tensor2D | null;
  ypmT: tf.Tensor2D; // 2 x n, rows: signal patch is +mu, is -mu
  ypm: tf.Tensor2D; // its transpose
  yObs: tf.Tensor2D; // 1 x n observed labels
}

// Above this size the (n+2) x n mixing matrix costs more memory than slicing.
const MAX_MIX = 1024;

function setTensors(set: LabeledSet): SetTensors {
  const { n, d } = set;
  const cols = n + 2;
  const xT = new Float32Array(d * cols);
  for (let i = 0; i < n; i++) for (let k = 1; k < d; k++) xT[k * cols + i] = set.noise[i * d + k];
  xT[n] = 1;
  xT[n + 1] = -1;
  const ypmT = new Float32Array(2 * n);
  const ypm = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    ypmT[(set.yTrue[i] > 0 ? 0 : 1) * n + i] = 1;
    ypm[i * 2 + (set.yTrue[i] > 0 ? 0 : 1)] = 1;
  }
  let mix: tf.Tensor2D | null = null;
  if (n <= MAX_MIX) {
    const m = new Float32Array(cols * n);
    for (let i = 0; i < n; i++) {
      m[i * n + i] = 1;
      m[(set.yTrue[i] > 0 ? n : n + 1) * n + i] = 1;
    }
    mix = tf.tensor2d(m, [cols, n]);
  }
  return {
    n,
    xT: tf.tensor2d(xT, [d, cols]),
    mix,
    ypmT: tf.tensor2d(ypmT, [2, n]),
    ypm: tf.tensor2d(ypm, [n, 2]),
    yObs: tf.tensor2d(Float32Array.from(set.yObs), [1, n]),
  };
}

/** relu(z)^(q-1), given relu(z); for q = 1 the step function. */
function reluPowQm1(rz: tf.Tensor, q: number): tf.Tensor {
  if (q === 1) return tf.sign(rz);
  if (q === 2) return rz;
  if (q === 3) return tf.square(rz);
  return tf.pow(rz, q - 1);
}

export async function trainSupervised(
  group: SupervisedGroup,
  progress: SupervisedProgress,
): Promise<SupervisedOutcome> {
  const { m, q, lr, steps, train, val, test, signalNorms } = group;
  const B = signalNorms.length;
  const K = B * 2 * m;
  const d = train.d;
  const n = train.n;

  // Per-cell reductions and expansions are reshapes, never products with a block matrix: a 0 * NaN in
  // such a product would let one diverging cell poison every other cell of its batch.
  const branch = new Float32Array(K);
  const rowScale = new Float32Array(K);
  const gradScale = new Float32Array(K * (n + 2));
  for (let k = 0; k < K; k++) {
    const b = Math.floor(k / (2 * m));
    branch[k] = (k % (2 * m) < m ? 1 : -1) / m;
    rowScale[k] = signalNorms[b];
    for (let j = 0; j < n + 2; j++) {
      gradScale[k * (n + 2) + j] = lr * q * branch[k] * (j < n ? 1 : signalNorms[b] ** 2);
    }
  }
  const x = new Float32Array((n + 2) * d);
  x.set(Float32Array.from(train.noise));
  x[n * d] = 1;
  x[(n + 1) * d] = -1;

  const consts = {
    branch: tf.tensor2d(branch, [K, 1]),
    gradScale: tf.tensor3d(gradScale, [B, 2 * m, n + 2]),
    x: tf.tensor2d(x, [n + 2, d]),
    negYObsOverN: tf.tensor2d(
      Float32Array.from(train.yObs, (y) => -y / n),
      [1, n],
    ),
    negYObs: tf.tensor2d(
      Float32Array.from(train.yObs, (y) => -y),
      [1, n],
    ),
    train: setTensors(train),
    val: setTensors(val),
    test: setTensors(test),
  };

  // Column 0 of the trained matrix holds u = ||mu|| w[0].
  const toU = new Float32Array(K * d).fill(1);
  for (let k = 0; k < K; k++) toU[k * d] = rowScale[k];
  let w: tf.Tensor2D = tf.tidy(() => tf.mul(tf.tensor2d(group.init, [K, d]), tf.tensor2d(toU, [K, d])));

  function forward(wT: tf.Tensor2D, set: SetTensors) {
    const rz = tf.fused.matMul({ a: wT, b: set.xT, activation: 'relu' });
    const rzq1 = reluPowQm1(rz, q);
    const act = tf.mul(q === 1 ? rz : tf.mul(rzq1, rz), consts.branch);
    const pooled = tf.sum(tf.reshape(act, [B, 2 * m, set.n + 2]), 1); // B x (n+2): F_{+1} - F_{-1}
    const f: tf.Tensor2D = set.mix
      ? tf.matMul(pooled, set.mix)
      : tf.add(
          tf.slice(pooled, [0, 0], [B, set.n]),
          tf.matMul(tf.slice(pooled, [0, set.n], [B, 2]), set.ypmT),
        );
    return { f, rzq1 };
  }

  function step(): void {
    const next = tf.tidy(() => {
      const { f, rzq1 } = forward(w, consts.train);
      // dL/df = l'(y f) y / n with l'(z) = -sigmoid(-z)
      const g = tf.mul(tf.sigmoid(tf.mul(f, consts.negYObs)), consts.negYObsOverN);
      const gExt = tf.concat([g, tf.matMul(g, consts.train.ypm)], 1);
      const perFilter = tf.mul(tf.reshape(rzq1, [B, 2 * m, n + 2]), tf.expandDims(gExt, 1));
      const gPre = tf.reshape(tf.mul(perFilter, consts.gradScale), [K, n + 2]);
      return tf.sub(w, tf.matMul(gPre, consts.x)) as tf.Tensor2D;
    });
    w.dispose();
    w = next;
  }

  function snapshot(): tf.Tensor {
    return tf.tidy(() => {
      const yfTrain = tf.mul(forward(w, consts.train).f, consts.train.yObs);
      const trainLoss = tf.mean(tf.softplus(tf.neg(yfTrain)), 1);
      const error = (set: SetTensors) =>
        tf.mean(tf.cast(tf.lessEqual(tf.mul(forward(w, set).f, set.yObs), 0), 'float32'), 1);
      return tf.stack([trainLoss, error(consts.val), error(consts.test)]);
    });
  }

  const curve: GroupCurvePoint[] = [];
  try {
    await runTfjsInChunks({
      steps,
      step,
      // A curve point per chunk.
      progress: { ...progress, chunks: progress.curvePoints },
      // The one host read per chunk.
      probe: snapshot,
      onProbe: (values, done) =>
        curve.push({
          step: done,
          trainLoss: values.slice(0, B),
          valError: values.slice(B, 2 * B),
          testError: values.slice(2 * B, 3 * B),
        }),
    });
    progress.signal?.throwIfAborted();
    const out = tf.tidy(() => [w, forward(w, consts.train).f, forward(w, consts.test).f]);
    const [weights, fTrain, fTest] = (await Promise.all(out.map((t) => t.data()))) as Float32Array[];
    tf.dispose(out.slice(1));
    for (let k = 0; k < K; k++) {
      // Back from u to w[0]; with ||mu|| = 0 the first coordinate never moved.
      weights[k * d] = rowScale[k] > 0 ? weights[k * d] / rowScale[k] : group.init[k * d];
    }
    return { weights, fTrain, fTest, curve };
  } finally {
    w.dispose();
    tf.dispose([consts.branch, consts.gradScale, consts.x, consts.negYObsOverN, consts.negYObs]);
    for (const set of [consts.train, consts.val, consts.test])
      tf.dispose([set.xT, set.ypmT, set.ypm, set.yObs, ...(set.mix ? [set.mix] : [])]);
  }
}
