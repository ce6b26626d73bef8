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

// addCombination gathers its nonzero coefficients in wasm (from the arena, or from a copy of an array
// outside it) and must give the bits of the JavaScript gathering: zeros, -0 and NaN among the
// coefficients, rows whose length leaves a scalar tail.
test('addCombination gathered in wasm gives the JavaScript bits, coefficients inside or outside the arena', () => {
  const count = 21;
  for (const fusedMultiplyAdd of [true, false])
    for (const cols of [3, 16, 38])
      for (const inside of [true, false]) {
        const run = (jsElementwise: boolean) => {
          const arena = new SimdArena((count + 2) * cols + 2 * count + 64, {
            fusedMultiplyAdd,
            jsElementwise,
          });
          const m = arena.alloc(count * cols);
          const out = arena.alloc(cols);
          const coefAt = arena.alloc64(count);
          for (let i = 0; i < count * cols; i++)
            arena.f32[m + i] = Math.fround(Math.sin(5 * i) * (1 + (i % 4)));
          for (let j = 0; j < cols; j++) arena.f32[out + j] = Math.fround(0.5 - j);
          const special = [0, -0, 0.25, -3, 1e-3];
          const coef = Float64Array.from({ length: count + 3 }, (_, i) =>
            i % 3 ? special[i % 5] : Math.cos(i),
          );
          if (cols === 38) coef[7] = NaN;
          if (inside) {
            arena.f64.set(coef.subarray(3), coefAt);
            arena.addCombination(out, cols, arena.f64, coefAt, count, m);
          } else arena.addCombination(out, cols, coef, 3, count, m);
          return Array.from(arena.f32.subarray(out, out + cols));
        };
        const wasm = run(false);
        const js = run(true);
        for (let j = 0; j < cols; j++)
          assert.ok(
            Object.is(wasm[j], js[j]),
            `fma=${fusedMultiplyAdd} cols=${cols} inside=${inside} [${j}]: ${wasm[j]} vs ${js[j]}`,
          );
      }
});
