import { SimdArena } from './simd.ts';

// kernels.ts's matMul and its row-by-row combinations, computed by the arena's float64 wasm kernel
// (the same bits): the data products of the fused trainer.

/** out (rows x cols) += coef (rows x count, float64) M (count x cols), row by row. */
export function addCombinations(
  out: Float32Array,
  rows: number,
  cols: number,
  coef: Float64Array,
  count: number,
  M: Float32Array,
): void {
  const arena = new SimdArena(count * cols + rows * cols + 8);
  const mAt = arena.alloc(count * cols);
  const outAt = arena.alloc(rows * cols);
  arena.f32.set(M.subarray(0, count * cols), mAt);
  arena.f32.set(out.subarray(0, rows * cols), outAt);
  for (let r = 0; r < rows; r++) arena.addCombination64(outAt + r * cols, cols, coef, r * count, count, mAt);
  out.set(arena.f32.subarray(outAt, outAt + rows * cols));
}

/** A (rows x inner) B (inner x cols), row-major, as kernels.ts's matMul. */
export function matMul(
  A: ArrayLike<number>,
  rows: number,
  inner: number,
  B: Float32Array,
  cols: number,
): Float32Array {
  const out = new Float32Array(rows * cols);
  addCombinations(out, rows, cols, Float64Array.from(A), inner, B);
  return out;
}
