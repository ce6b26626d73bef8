import { runInChunks } from './chunked-steps.ts';
import type { LabeledSet } from './data.ts';
import type { GroupCurvePoint, SupervisedOutcome, SupervisedProgress } from './supervised.ts';

// SimCLR's linear evaluation protocol: the encoder is frozen and logistic regression, f(x) = <beta, h(x)>
// with h_r(x) = <w_r, x^(1) + x^(2)> over every filter, is trained by full-batch GD from beta = 0 for
// `steps` at `lr`. Small (M features), so plain float64 on the host for every backend.

export interface ProbeGroup {
  rows: number;
  lr: number;
  steps: number;
  train: LabeledSet;
  val: LabeledSet;
  test: LabeledSet;
  signalNorms: number[];
  /** B*rows x d frozen filters */
  filters: Float32Array;
}

/** n x rows features of cell b: h_r(x_i) = <w_r, xi_i> + w_r[0] y_i ||mu|| */
function features(group: ProbeGroup, set: LabeledSet, b: number): Float64Array {
  const { rows, filters } = group;
  const { n, d } = set;
  const out = new Float64Array(n * rows);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rows; r++) {
      const o = (b * rows + r) * d;
      let s = filters[o] * set.yTrue[i] * group.signalNorms[b];
      for (let k = 1; k < d; k++) s += filters[o + k] * set.noise[i * d + k];
      out[i * rows + r] = s;
    }
  }
  return out;
}

function outputs(
  x: Float64Array,
  beta: Float64Array,
  n: number,
  rows: number,
  out: Float32Array,
  at: number,
) {
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let r = 0; r < rows; r++) f += beta[r] * x[i * rows + r];
    out[at + i] = f;
  }
}

export async function trainLinearProbe(
  group: ProbeGroup,
  progress: SupervisedProgress,
): Promise<SupervisedOutcome> {
  const { rows, lr, steps, train, val, test, signalNorms } = group;
  const B = signalNorms.length;
  const n = train.n;
  const fTrain = new Float32Array(B * n);
  const fTest = new Float32Array(B * test.n);
  const xs = signalNorms.map((_, b) => ({
    train: features(group, train, b),
    val: features(group, val, b),
    test: features(group, test, b),
  }));
  const fVal = new Float32Array(val.n);
  const errorOf = (f: Float32Array, at: number, set: LabeledSet) => {
    let wrong = 0;
    for (let i = 0; i < set.n; i++) if (set.yObs[i] * f[at + i] <= 0) wrong++;
    return wrong / set.n;
  };
  const betas = signalNorms.map(() => new Float64Array(rows));

  function snapshot(done: number): GroupCurvePoint {
    const trainLoss = new Float32Array(B);
    const testError = new Float32Array(B);
    const valError = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      outputs(xs[b].train, betas[b], n, rows, fTrain, b * n);
      outputs(xs[b].test, betas[b], test.n, rows, fTest, b * test.n);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const z = train.yObs[i] * fTrain[b * n + i];
        loss += z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
      }
      trainLoss[b] = loss / n;
      testError[b] = errorOf(fTest, b * test.n, test);
      outputs(xs[b].val, betas[b], val.n, rows, fVal, 0);
      valError[b] = errorOf(fVal, 0, val);
    }
    return { step: done, trainLoss, valError, testError };
  }

  const curve: GroupCurvePoint[] = [];
  const grad = new Float64Array(rows);
  function step(): void {
    for (let b = 0; b < B; b++) {
      const { train: x } = xs[b];
      const beta = betas[b];
      grad.fill(0);
      for (let i = 0; i < n; i++) {
        let f = 0;
        for (let r = 0; r < rows; r++) f += beta[r] * x[i * rows + r];
        const y = train.yObs[i];
        // dL/df = l'(y f) y / n with l'(s) = -sigmoid(-s)
        const g = -y / (n * (1 + Math.exp(y * f)));
        for (let r = 0; r < rows; r++) grad[r] += g * x[i * rows + r];
      }
      for (let r = 0; r < rows; r++) beta[r] -= lr * grad[r];
    }
  }
  await runInChunks({
    steps,
    step,
    // A curve point per chunk.
    progress: { ...progress, chunks: progress.curvePoints },
    afterChunk: (done) => {
      curve.push(snapshot(done));
    },
  });
  snapshot(steps);
  return { weights: Float32Array.from(group.filters), fTrain, fTest, curve };
}
