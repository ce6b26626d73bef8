import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimdArena } from '../../../trainer/simd.ts';

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
