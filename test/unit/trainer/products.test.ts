import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as js from '../../../trainer/kernels.ts';
import { addCombinations, matMul } from '../../../trainer/products.ts';

// The data products of the fused trainer run on the wasm float64 kernel; they must give the bits of
// the JavaScript kernel they replace (its sums' order, one float32 rounding per group of 8, 4 or 1 rows).

function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

test('matMul and addCombinations give the JavaScript kernel bits, zero coefficients skipped', () => {
  // inner 15 with three zeros: 12 nonzero = one group of 8 and one of 4; 15 nonzero: 8 + 4 + 3 singles
  for (const zeros of [true, false])
    for (const cols of [6, 7, 40]) {
      const rows = 5;
      const inner = 15;
      const A = Array.from({ length: rows * inner }, (_, i) =>
        zeros && i % 5 === 2 ? 0 : Math.sin(i * 1.3) * 10 ** ((i % 7) - 3),
      );
      // Row 0 starts with +-1e20 alternating with 1 and B has whole columns of 1: the sums cancel,
      // so any other order of the additions gives other bits.
      for (let i = 0; i < 12; i++) if (!(zeros && i % 5 === 2)) A[i] = i % 2 ? 1 : i % 4 ? -1e20 : 1e20;
      const B = Float32Array.from({ length: inner * cols }, (_, i) =>
        i % cols < 2 ? 1 : Math.cos(i * 0.7) * (1 + (i % 3)),
      );
      const where = `zeros=${zeros} cols=${cols}`;
      sameBits(matMul(A, rows, inner, B, cols), js.matMul(A, rows, inner, B, cols), `${where} matMul`);
      const start = Float32Array.from({ length: rows * cols }, (_, i) => (i % 4 === 0 ? -0 : 0.1 * i));
      const wasm = Float32Array.from(start);
      const ref = Float32Array.from(start);
      addCombinations(wasm, rows, cols, Float64Array.from(A), inner, B);
      for (let r = 0; r < rows; r++)
        js.addCombination(ref, r * cols, cols, Float64Array.from(A), r * inner, inner, B);
      sameBits(wasm, ref, `${where} addCombinations`);
    }
});
