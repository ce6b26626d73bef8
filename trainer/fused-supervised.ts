import { runInChunks } from './chunked-steps.ts';
import { powQm1 } from './gd-elementwise.ts';
import { transpose } from './kernels.ts';
import { addCombinations, matMul } from './products.ts';
import { SimdArena, type ArenaOptions } from './simd.ts';
import type {
  GroupCurvePoint,
  SupervisedGroup,
  SupervisedOutcome,
  SupervisedProgress,
} from './supervised.ts';

// The supervised GD of supervised.ts in plain TypeScript for CPU hosts, where tfjs pays ~20 us per op
// and cannot fuse the elementwise work. Same maths, fewer FLOPs: every GD update of a filter is a
// combination of the noise patches xi_i (plus the signal coordinate), so the noise pre-activations
// Z = W Xi^T can be updated directly, Z -= C G with the Gram matrix G = Xi Xi^T (n x n), instead of
// updating W (K x d) and recomputing W Xi^T: 2 K n^2 instead of 4 K n d multiply-adds per step, and the
// ReLU zeroes about half of C. The step stays in wasm memory: its element-wise pass (ReLU powers,
// outputs, coefficients; gd-elementwise.ts) and the product (the SIMD kernel of simd.ts); only dL/df
// (an exponential per sample) and the signal coordinate are JavaScript. W itself is rebuilt at the end
// as W_0 + Gamma Xi from the accumulated coefficients Gamma. The signal coordinate is kept as u = ||mu|| w[0], as in supervised.ts. State that
// tfjs keeps in float32 (Z, u) is stored in float32 here too, so that overflow (divergence) happens
// where it happens there; sums are accumulated in float64.

/** The Gram form pays off while n^2 <= 2 n d, i.e. n <= 2 d. */
export function fusedSupervisedFits(n: number, d: number): boolean {
  return n <= 2 * d;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * init (`blocks` blocks of `block` floats, rows of d) times `other` (d x cols). The cells of a
 * supervised group start from one seed's filters, so identical blocks are multiplied once (row by row
 * the same sums, hence the same bits).
 */
function initProduct(
  init: Float32Array,
  blocks: number,
  block: number,
  other: Float32Array,
  cols: number,
): Float32Array {
  const d = other.length / cols;
  const rows = block / d;
  const out = new Float32Array(blocks * rows * cols);
  const first = matMul(init.subarray(0, block), rows, d, other, cols);
  for (let b = 0; b < blocks; b++) {
    const at = b * block;
    let same = true;
    for (let i = 0; i < block && same; i++) same = Object.is(init[at + i], init[i]);
    out.set(same ? first : matMul(init.subarray(at, at + block), rows, d, other, cols), b * rows * cols);
  }
  return out;
}

/**
 * `kernel` chooses the SIMD kernel: fused multiply-add (the default, where the host has relaxed SIMD)
 * changes the last float32 bits of the outcomes against the plain kernel.
 */
export async function trainSupervisedFused(
  group: SupervisedGroup,
  progress: SupervisedProgress,
  kernel: ArenaOptions = { fusedMultiplyAdd: true },
): Promise<SupervisedOutcome> {
  const { m, q, lr, steps, train, val, test, signalNorms, init } = group;
  const B = signalNorms.length;
  const R = 2 * m;
  const K = B * R;
  const { n, d } = train;
  const nt = test.n;
  const nv = val.n;

  const xiT = transpose(train.noise, n, d);
  const testT = transpose(test.noise, nt, d);
  const zTest0 = initProduct(init, B, R * d, testT, nt);
  // Everything the step reads or writes lives in the arena: the matrices of the SIMD product, and the
  // float64 vectors of its element-wise pass (gd-elementwise.ts).
  const floats = [n * n, K * n, n * nt, K * nt, n * nv, K * nv, n + 8];
  const doubles = [K, n, n, R * n, K * n, n + 8, nt, nv];
  const arena = new SimdArena(
    floats.reduce((a, x) => a + x + 4, 0) + doubles.reduce((a, x) => a + 2 * x + 4, 0),
    kernel,
  );
  const gramAt = arena.alloc(n * n);
  const zAt = arena.alloc(K * n);
  const crossAt = arena.alloc(n * nt); // Xi Xi_test^T
  const ztAt = arena.alloc(K * nt);
  const crossValAt = arena.alloc(n * nv);
  const zvAt = arena.alloc(K * nv);
  const idxAt = arena.alloc(n + 8);
  const branchAt = arena.alloc64(K);
  const fAt = arena.alloc64(n);
  const gAt = arena.alloc64(n);
  const slopeAt = arena.alloc64(R * n); // relu(z)^(q-1) of the current cell, for its update
  const gammaAt = arena.alloc64(K * n);
  const valAt = arena.alloc64(n + 8);
  const fTestAt = arena.alloc64(nt);
  const fValAt = arena.alloc64(nv);
  const { f64 } = arena;
  const branch = f64.subarray(branchAt, branchAt + K);
  for (let k = 0; k < K; k++) branch[k] = (k % R < m ? 1 : -1) / m;
  arena.f32.set(matMul(train.noise, n, d, xiT, n), gramAt);
  arena.f32.set(initProduct(init, B, R * d, xiT, n), zAt);
  arena.f32.set(matMul(train.noise, n, d, testT, nt), crossAt);
  const noise = Float32Array.from(train.noise);
  const gamma = f64.subarray(gammaAt, gammaAt + K * n);
  const u = Float32Array.from({ length: K }, (_, k) => signalNorms[Math.floor(k / R)] * init[k * d]);
  const f = f64.subarray(fAt, fAt + n);
  const g = f64.subarray(gAt, gAt + n);

  /** The signal-patch part of f for cell b: it depends on the sample only through its label. */
  function signalPart(b: number, cols: number, yTrue: Float64Array, out: Float64Array): void {
    let sp = 0;
    let sm = 0;
    for (let r = b * R; r < (b + 1) * R; r++) {
      const up = Math.max(0, u[r]);
      const um = Math.max(0, -u[r]);
      sp += branch[r] * up * powQm1(up, q);
      sm += branch[r] * um * powQm1(um, q);
    }
    for (let i = 0; i < cols; i++) out[i] = yTrue[i] > 0 ? sp : sm;
  }

  /** f of cell b on a set (f64 at outAt), given its noise pre-activations (rows of `cols` at preAt). */
  function outputs(b: number, preAt: number, cols: number, yTrue: Float64Array, outAt: number): void {
    signalPart(b, cols, yTrue, f64.subarray(outAt, outAt + cols));
    arena.reluPowers(q, preAt + b * R * cols, outAt, -1, branchAt + b * R, R, cols);
  }

  const gdAt = { z: 0, gram: gramAt, g: gAt, slope: 0, gamma: 0, idx: idxAt, val: valAt };
  function step(): void {
    for (let b = 0; b < B; b++) {
      // outputs(b, z, ...), keeping relu(z)^(q-1) for the gradient
      signalPart(b, n, train.yTrue, f);
      arena.reluPowers(q, zAt + b * R * n, fAt, slopeAt, branchAt + b * R, R, n);
      let gPlus = 0;
      let gMinus = 0;
      for (let i = 0; i < n; i++) {
        const y = train.yObs[i];
        // dL/df = l'(y f) y / n with l'(s) = -sigmoid(-s)
        g[i] = -y / (n * (1 + Math.exp(y * f[i])));
        if (train.yTrue[i] > 0) gPlus += g[i];
        else gMinus += g[i];
      }
      const a2 = signalNorms[b] ** 2;
      for (let r = b * R; r < (b + 1) * R; r++) {
        const s = lr * q * branch[r];
        const o = r * n;
        gdAt.z = zAt + o;
        gdAt.slope = slopeAt + (r - b * R) * n;
        gdAt.gamma = gammaAt + o;
        // coefficients flushed before they join Gamma too, so that the test-set product never meets a subnormal
        arena.gdRow(gdAt, n, -s);
        const ur = u[r];
        u[r] = ur - s * a2 * (powQm1(Math.max(0, ur), q) * gPlus - powQm1(Math.max(0, -ur), q) * gMinus);
      }
    }
  }

  function testPre(): void {
    arena.f32.set(zTest0, ztAt);
    for (let r = 0; r < K; r++) arena.addCombination(ztAt + r * nt, nt, gamma, r * n, n, crossAt);
  }

  // The validation set's pre-activations, the same way, only at the logged iterates.
  const valT = transpose(val.noise, nv, d);
  const zVal0 = initProduct(init, B, R * d, valT, nv);
  arena.f32.set(matMul(train.noise, n, d, valT, nv), crossValAt);
  function valPre(): void {
    arena.f32.set(zVal0, zvAt);
    for (let r = 0; r < K; r++) arena.addCombination(zvAt + r * nv, nv, gamma, r * n, n, crossValAt);
  }
  const fVal = f64.subarray(fValAt, fValAt + nv);
  const fTest = f64.subarray(fTestAt, fTestAt + nt);
  function snapshot(step: number): GroupCurvePoint {
    const trainLoss = new Float32Array(B);
    const testError = new Float32Array(B);
    const valError = new Float32Array(B);
    testPre();
    valPre();
    for (let b = 0; b < B; b++) {
      outputs(b, zAt, n, train.yTrue, fAt);
      let loss = 0;
      for (let i = 0; i < n; i++) loss += softplus(-train.yObs[i] * f[i]);
      trainLoss[b] = loss / n;
      outputs(b, ztAt, nt, test.yTrue, fTestAt);
      let wrong = 0;
      for (let i = 0; i < nt; i++) if (test.yObs[i] * fTest[i] <= 0) wrong++;
      testError[b] = wrong / nt;
      outputs(b, zvAt, nv, val.yTrue, fValAt);
      wrong = 0;
      for (let i = 0; i < nv; i++) if (val.yObs[i] * fVal[i] <= 0) wrong++;
      valError[b] = wrong / nv;
    }
    return { step, trainLoss, valError, testError };
  }

  const curve: GroupCurvePoint[] = [];
  await runInChunks({
    steps,
    step,
    // A curve point per chunk.
    progress: { ...progress, chunks: progress.curvePoints },
    afterChunk: (done) => {
      progress.clock?.lap('training');
      curve.push(snapshot(done));
      progress.clock?.lap('evaluation');
    },
  });
  progress.signal?.throwIfAborted();

  const fTrainAll = new Float32Array(B * n);
  const fTestAll = new Float32Array(B * nt);
  testPre();
  for (let b = 0; b < B; b++) {
    outputs(b, zAt, n, train.yTrue, fAt);
    fTrainAll.set(f, b * n);
    outputs(b, ztAt, nt, test.yTrue, fTestAt);
    fTestAll.set(fTest, b * nt);
  }
  const weights = Float32Array.from(init);
  addCombinations(weights, K, d, gamma, n, noise);
  for (let k = 0; k < K; k++) {
    const a = signalNorms[Math.floor(k / R)];
    // Back from u to w[0]; with ||mu|| = 0 the first coordinate never moved.
    weights[k * d] = a > 0 ? u[k] / a : init[k * d];
  }
  progress.clock?.lap('evaluation');
  return { weights, fTrain: fTrainAll, fTest: fTestAll, curve };
}
