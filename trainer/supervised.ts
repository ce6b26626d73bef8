import * as tf from '@tensorflow/tfjs-core';
import type { LabeledSet } from './data.ts';

// Batched full-batch gradient descent on the logistic loss (paper-spec 2.1, 3.1) as one tfjs program.
// B cells that share their training set (same n, seed, ...; they differ in ||mu|| and initial filters)
// stack their 2m filters into one K x d matrix (K = B*2m, rows ordered cell, branch, filter), so every
// heavy product is a single 2-D matmul with a constant, pre-transposed data matrix.
// Because mu = ||mu|| e_1 and the noise has a zero first coordinate, a filter's signal-patch
// pre-activation is y * ||mu|| * w[0]: the signal coordinate w0 is trained as its own K x 1 vector
// (only two distinct activations per filter), and the K x d matrix only ever meets the noise.

export interface SupervisedGroup {
  m: number;
  q: number;
  lr: number;
  steps: number;
  train: LabeledSet;
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
}

export interface GroupCurvePoint {
  step: number;
  trainLoss: Float32Array;
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
  xT: tf.Tensor2D; // d x n
  yPos: tf.Tensor2D; // 1 x n, 1 where the signal patch is +mu
  yNeg: tf.Tensor2D; // 1 x n
  yObs: tf.Tensor2D; // 1 x n observed labels
}

function setTensors(set: LabeledSet): SetTensors {
  const { n, d } = set;
  const xT = new Float32Array(d * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) xT[k * n + i] = set.noise[i * d + k];
  const yPos = Float32Array.from(set.yTrue, (y) => (y > 0 ? 1 : 0));
  const yNeg = Float32Array.from(set.yTrue, (y) => (y > 0 ? 0 : 1));
  return {
    xT: tf.tensor2d(xT, [d, n]),
    yPos: tf.tensor2d(yPos, [1, n]),
    yNeg: tf.tensor2d(yNeg, [1, n]),
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

function reluPowQ(rz: tf.Tensor, rzq1: tf.Tensor, q: number): tf.Tensor {
  return q === 1 ? rz : tf.mul(rzq1, rz);
}

export async function trainSupervised(
  group: SupervisedGroup,
  progress: SupervisedProgress,
): Promise<SupervisedOutcome> {
  const { m, q, lr, steps, train, test, signalNorms } = group;
  const B = signalNorms.length;
  const K = B * 2 * m;
  const d = train.d;
  const n = train.n;

  const branchSign = (k: number) => (k % (2 * m) < m ? 1 : -1);
  const cellOf = (k: number) => Math.floor(k / (2 * m));
  const cData = new Float32Array(B * K);
  const ctData = new Float32Array(K * B);
  const expand = new Float32Array(K * B);
  const munK = new Float32Array(K);
  const sigCoef = new Float32Array(K);
  for (let k = 0; k < K; k++) {
    const b = cellOf(k);
    const c = branchSign(k) / m;
    cData[b * K + k] = c;
    ctData[k * B + b] = lr * q * c;
    expand[k * B + b] = 1;
    munK[k] = signalNorms[b];
    sigCoef[k] = lr * q * c * signalNorms[b];
  }
  const ypm = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) ypm[i * 2 + (train.yTrue[i] > 0 ? 0 : 1)] = 1;

  const consts = {
    C: tf.tensor2d(cData, [B, K]),
    CTs: tf.tensor2d(ctData, [K, B]),
    E: tf.tensor2d(expand, [K, B]),
    munK: tf.tensor2d(munK, [K, 1]),
    sigCoef: tf.tensor2d(sigCoef, [K, 1]),
    ypm: tf.tensor2d(ypm, [n, 2]),
    x: tf.tensor2d(Float32Array.from(train.noise), [n, d]),
    negYObsOverN: tf.tensor2d(
      Float32Array.from(train.yObs, (y) => -y / n),
      [1, n],
    ),
    train: setTensors(train),
    test: setTensors(test),
  };

  const init = tf.tensor2d(group.init, [K, d]);
  let wn: tf.Tensor2D = init.clone();
  let w0: tf.Tensor2D = tf.tidy(() => tf.slice(init, [0, 0], [K, 1]));

  function forward(wnT: tf.Tensor2D, w0T: tf.Tensor2D, set: SetTensors) {
    const rz = tf.fused.matMul({ a: wnT, b: set.xT, activation: 'relu' });
    const rzq1 = reluPowQm1(rz, q);
    const fNoise = tf.matMul(consts.C, reluPowQ(rz, rzq1, q));
    const s = tf.mul(w0T, consts.munK);
    const rp = tf.relu(s);
    const rm = tf.relu(tf.neg(s));
    const sp = tf.matMul(consts.C, reluPowQ(rp, reluPowQm1(rp, q), q));
    const sm = tf.matMul(consts.C, reluPowQ(rm, reluPowQm1(rm, q), q));
    const f = tf.add(fNoise, tf.add(tf.mul(sp, set.yPos), tf.mul(sm, set.yNeg))) as tf.Tensor2D;
    return { f, rzq1, rp, rm };
  }

  function step(): void {
    const [nextWn, nextW0] = tf.tidy(() => {
      const { f, rzq1, rp, rm } = forward(wn, w0, consts.train);
      const g = tf.mul(tf.sigmoid(tf.neg(tf.mul(f, consts.train.yObs))), consts.negYObsOverN);
      const gNoise = tf.mul(tf.matMul(consts.CTs, g), rzq1);
      const wnNext = tf.sub(wn, tf.matMul(gNoise, consts.x)) as tf.Tensor2D;
      const gk = tf.matMul(consts.E, tf.matMul(g, consts.ypm));
      const [gp, gm] = tf.split(gk, 2, 1);
      const drive = tf.sub(tf.mul(reluPowQm1(rp, q), gp), tf.mul(reluPowQm1(rm, q), gm));
      const w0Next = tf.sub(w0, tf.mul(consts.sigCoef, drive)) as tf.Tensor2D;
      return [wnNext, w0Next];
    });
    wn.dispose();
    w0.dispose();
    wn = nextWn;
    w0 = nextW0;
  }

  function snapshot(): tf.Tensor {
    return tf.tidy(() => {
      const yfTrain = tf.mul(forward(wn, w0, consts.train).f, consts.train.yObs);
      const trainLoss = tf.mean(tf.softplus(tf.neg(yfTrain)), 1);
      const yfTest = tf.mul(forward(wn, w0, consts.test).f, consts.test.yObs);
      const testError = tf.mean(tf.cast(tf.lessEqual(yfTest, 0), 'float32'), 1);
      return tf.stack([trainLoss, testError]);
    });
  }

  const curve: GroupCurvePoint[] = [];
  try {
    const chunk = Math.max(1, Math.ceil(steps / Math.max(1, progress.curvePoints)));
    for (let done = 0; done < steps;) {
      progress.signal?.throwIfAborted();
      const upto = Math.min(steps, done + chunk);
      for (; done < upto; done++) step();
      const snap = snapshot();
      // The one host read per chunk: it also yields to the event loop so that an abort can arrive.
      const values = (await snap.data()) as Float32Array;
      snap.dispose();
      curve.push({ step: done, trainLoss: values.slice(0, B), testError: values.slice(B, 2 * B) });
      progress.onProgress?.(done / steps);
    }
    progress.signal?.throwIfAborted();
    const out = tf.tidy(() => {
      const weights = tf.concat([w0, tf.slice(wn, [0, 1], [K, d - 1])], 1);
      return [weights, forward(wn, w0, consts.train).f, forward(wn, w0, consts.test).f] as const;
    });
    const [weights, fTrain, fTest] = await Promise.all(out.map((t) => t.data()));
    tf.dispose(out as unknown as tf.Tensor[]);
    return {
      weights: weights as Float32Array,
      fTrain: fTrain as Float32Array,
      fTest: fTest as Float32Array,
      curve,
    };
  } finally {
    tf.dispose([wn, w0, init]);
    tf.dispose(consts as unknown as tf.TensorContainer);
  }
}
