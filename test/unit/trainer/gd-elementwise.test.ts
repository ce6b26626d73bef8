import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainSupervisedFused } from '../../../trainer/fused-supervised.ts';
import { SimdArena } from '../../../trainer/simd.ts';
import { grid, SNR_61, supervisedGroupAt } from '../../helpers/trainer-grid.ts';

// The wasm element-wise pass of the fused GD step must give the JavaScript pass's bits (the trainer's
// version does not change with it): on operands that exercise every branch (negative, -0, 0, NaN,
// coefficients on both sides of the flush threshold), and on whole training runs.

const ROWS = 5;

/** Pre-activations with every case the ReLU and the slope distinguish. */
function fill(arena: SimdArena, pre: number, cols: number): void {
  const special = [0, -0, NaN, -1e-40, 1e-40, -3, 2.5, 1e-20];
  for (let i = 0; i < ROWS * cols; i++)
    arena.f32[pre + i] = i % 3 === 0 ? special[i % special.length] : Math.sin(1.7 * i) * (1 + (i % 5));
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

function elementwise(jsElementwise: boolean, q: number, cols: number) {
  const arena = new SimdArena(40 * ROWS * cols + cols * cols + 256, { jsElementwise });
  const pre = arena.alloc(ROWS * cols);
  const gram = arena.alloc(cols * cols);
  const idx = arena.alloc(cols + 8);
  const branch = arena.alloc64(ROWS);
  const out = arena.alloc64(cols);
  const slope = arena.alloc64(ROWS * cols);
  const g = arena.alloc64(cols);
  const gamma = arena.alloc64(ROWS * cols);
  const val = arena.alloc64(cols + 8);
  fill(arena, pre, cols);
  for (let i = 0; i < cols * cols; i++) arena.f32[gram + i] = Math.cos(0.3 * i);
  for (let r = 0; r < ROWS; r++) arena.f64[branch + r] = (r % 2 ? -1 : 1) / 3;
  for (let i = 0; i < cols; i++) {
    arena.f64[out + i] = 0.25 * i;
    // g spans 1e-45 .. 1: some coefficients fall below the flush threshold, some not
    arena.f64[g + i] = (i % 2 ? -1 : 1) * 10 ** -(i % 46);
  }
  arena.f64[g + 1] = NaN;
  arena.reluPowers(q, pre, out, slope, branch, ROWS, cols);
  const outputsOnly = Float64Array.from(arena.f64.subarray(out, out + cols));
  arena.reluPowers(q, pre, out, -1, branch, ROWS, cols);
  for (let r = 0; r < ROWS; r++) {
    const at = { z: pre + r * cols, gram, g, slope: slope + r * cols, gamma: gamma + r * cols, idx, val };
    arena.gdRow(at, cols, -0.7 * (r + 1));
    arena.gdRow(at, cols, -0.7 * (r + 1)); // a second time: gamma accumulates
  }
  const copy = (a: Float32Array | Float64Array, at: number, length: number) =>
    Array.from(a.subarray(at, at + length));
  return {
    outputsOnly,
    out: copy(arena.f64, out, cols),
    slope: copy(arena.f64, slope, ROWS * cols),
    gamma: copy(arena.f64, gamma, ROWS * cols),
    pre: copy(arena.f32, pre, ROWS * cols),
  };
}

test('the wasm reluPowers and gdRow give the JavaScript bits, for every q and row length', () => {
  // 64 and 12: the wasm pass; 13 and q = 1.5: the JavaScript one on both sides
  for (const q of [1, 2, 3, 1.5])
    for (const cols of [64, 12, 13]) {
      const wasm = elementwise(false, q, cols);
      const js = elementwise(true, q, cols);
      for (const key of Object.keys(js) as (keyof typeof js)[])
        sameBits(wasm[key], js[key], `q=${q} cols=${cols} ${key}`);
      assert.ok(
        wasm.gamma.some((v) => v !== 0),
        'some coefficients pass the flush',
      );
      assert.ok(wasm.gamma.some(Number.isNaN), 'a NaN gradient reaches gamma');
    }
});

test('trained with the wasm pass, the fused trainer keeps every output bit of the JavaScript pass', async () => {
  for (const [n, q, p] of [
    [16, 3, 0],
    [64, 1, 0.1],
    [30, 2, 0],
  ]) {
    const c = grid({ n_labels: n, q, p, steps: 300 }, {})[0];
    const group = supervisedGroupAt(c, SNR_61.slice(2, 8));
    const wasm = await trainSupervisedFused(group, { curvePoints: 4 }, { fusedMultiplyAdd: true });
    const js = await trainSupervisedFused(
      group,
      { curvePoints: 4 },
      { fusedMultiplyAdd: true, jsElementwise: true },
    );
    const where = `n=${n} q=${q}`;
    sameBits(wasm.weights, js.weights, `${where} weights`);
    sameBits(wasm.fTrain, js.fTrain, `${where} fTrain`);
    sameBits(wasm.fTest, js.fTest, `${where} fTest`);
    wasm.curve.forEach((point, k) => {
      for (const key of ['trainLoss', 'valError', 'testError'] as const)
        sameBits(point[key], js.curve[k][key], `${where} curve ${k} ${key}`);
    });
  }
});
