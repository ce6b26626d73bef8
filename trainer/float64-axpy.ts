import {
  F32X4_DEMOTE_F64X2_ZERO,
  F64,
  F64X2_ADD,
  F64X2_MUL,
  F64X2_PROMOTE_LOW_F32X4,
  F64X2_SPLAT,
  I32,
  I32_ADD,
  I32_GE_U,
  i32Const,
  localGet,
  localSet,
  V128,
  V128_LOAD64_ZERO,
  V128_STORE64_LANE0,
} from './wasm-bytes.ts';

// kernels.ts's addCombination (float32 matrices, float64 coefficients and sums) as wasm, two columns
// per f64x2: the products and the sums of one group of rows in the same tree as the JavaScript
// expression, and one float32 rounding per group, so the results keep their bits. The products of the
// data it serves (the Gram matrix, the test and validation cross products, the final filters) cost the
// fused trainer about a tenth of its time in JavaScript.

/** The group sizes of addCombination's loops (8, then 4, then single rows). */
export const GROUPS = [8, 4, 1] as const;
export type Group = (typeof GROUPS)[number];

/** The sum of the products p_0 .. p_{size-1} in the JavaScript expression's order, as stack code. */
function tree(p: (k: number) => number[], size: Group): number[] {
  const add = (a: number[], b: number[]) => [...a, ...b, ...F64X2_ADD];
  if (size === 1) return p(0);
  const four = (k: number) => add(add(p(k), p(k + 1)), add(p(k + 2), p(k + 3)));
  return size === 4 ? four(0) : add(four(0), four(4));
}

/**
 * axpy{size}d(out, end, g_0 .. g_{size-1}, c_0 .. c_{size-1}), byte addresses: for off in [0, end) step
 * 8 bytes, out[off] = f32(out[off] + sum_k c_k g_k[off]) on float32 pairs, summed in float64.
 */
export function axpyF64Body(size: Group): number[] {
  const OUT = 0, END = 1, G = 2, C = 2 + size, OFF = 2 + 2 * size, S = OFF + 1; // prettier-ignore
  const widened = (address: number[]) => [...address, ...V128_LOAD64_ZERO, ...F64X2_PROMOTE_LOW_F32X4];
  const at = (base: number) => [...localGet(base), ...localGet(OFF), I32_ADD];
  const b: number[] = [];
  for (let k = 0; k < size; k++) b.push(...localGet(C + k), ...F64X2_SPLAT, ...localSet(S + k));
  b.push(0x02, 0x40, 0x03, 0x40); // block, loop
  b.push(...localGet(OFF), ...localGet(END), I32_GE_U, 0x0d, 1);
  b.push(...at(OUT), ...widened(at(OUT)));
  b.push(...tree((k) => [...localGet(S + k), ...widened(at(G + k)), ...F64X2_MUL], size));
  b.push(...F64X2_ADD, ...F32X4_DEMOTE_F64X2_ZERO, ...V128_STORE64_LANE0);
  b.push(...localGet(OFF), ...i32Const(8), I32_ADD, ...localSet(OFF), 0x0c, 0, 0x0b, 0x0b);
  return [2, 1, I32, size, V128, ...b, 0x0b];
}

/** The function type of axpy{size}d: 2 + size i32, size f64, no result. */
export const axpyF64Type = (size: Group) => [
  0x60,
  2 + 2 * size,
  ...Array(2 + size).fill(I32),
  ...Array(size).fill(F64),
  0,
];
