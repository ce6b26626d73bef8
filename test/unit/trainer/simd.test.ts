import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FUSED_MULTIPLY_ADD, SimdArena } from '../../../trainer/simd.ts';

// The SIMD kernels against plain loops, with lengths that leave a scalar tail (not a multiple of 4).
test('multiply and transpose give the exact float32 products and the transposed matrix', () => {
  const rows = 7;
  const cols = 37;
  const arena = new SimdArena(4 * rows * cols + 64);
  const a = arena.alloc(rows * cols);
  const b = arena.alloc(rows * cols);
  const out = arena.alloc(rows * cols);
  const back = arena.alloc(rows * cols);
  const f = arena.f32;
  for (let i = 0; i < rows * cols; i++) {
    f[a + i] = Math.fround(Math.sin(i) * 1e-3);
    f[b + i] = Math.fround(Math.cos(3 * i) + 0.1);
  }
  for (let r = 0; r < rows; r++) arena.multiply(out + r * cols, a + r * cols, b + r * cols, cols);
  for (let i = 0; i < rows * cols; i++) assert.equal(f[out + i], Math.fround(f[a + i] * f[b + i]));
  arena.transpose(out, rows, cols, back);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) assert.equal(f[back + c * rows + r], f[out + r * cols + c]);
});

// Both kernels, fused multiply-add (relaxed SIMD, enabled in-process on Node 20) and plain SIMD,
// against the float64 sum: within float32 rounding, in the kernel's one summation order.
test('addRows with and without fused multiply-add agrees with the float64 sum', () => {
  assert.equal(FUSED_MULTIPLY_ADD, true, 'relaxed SIMD could not be enabled on this Node');
  const rows = 21; // two passes of eight rows and a padded third
  const cols = 38;
  for (const fusedMultiplyAdd of [true, false]) {
    const arena = new SimdArena((rows + 1) * cols + 64, { fusedMultiplyAdd });
    assert.equal(arena.fusedMultiplyAdd, fusedMultiplyAdd);
    const m = arena.alloc(rows * cols);
    const out = arena.alloc(cols);
    const f = arena.f32;
    for (let i = 0; i < rows * cols; i++) f[m + i] = Math.fround(Math.sin(7 * i) + 0.01 * i);
    for (let j = 0; j < cols; j++) f[out + j] = Math.fround(Math.cos(j));
    const idx = new Int32Array(rows + 8);
    const val = new Float64Array(rows + 8);
    for (let t = 0; t < rows; t++) {
      idx[t] = m + t * cols;
      val[t] = Math.fround(1e-3 * (t - 10.3));
    }
    const want = Array.from({ length: cols }, (_, j) => {
      let s = f[out + j];
      for (let t = 0; t < rows; t++) s += val[t] * f[m + t * cols + j];
      return s;
    });
    arena.addRows(out, cols, idx, val, rows);
    for (let j = 0; j < cols; j++) {
      // at most one float32 rounding per product and per sum, on values below 10
      assert.ok(Math.abs(f[out + j] - want[j]) < 2 * rows * 2 ** -23 * 10, `${fusedMultiplyAdd} col ${j}`);
    }
  }
});
