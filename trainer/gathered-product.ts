import {
  F32_DEMOTE_F64,
  F64_LOAD,
  F64_STORE,
  f64Const,
  F64,
  F64_NE,
  I32,
  I32_ADD,
  I32_AND,
  I32_EQZ,
  I32_GE_U,
  I32_LOAD,
  I32_SHL,
  I32_STORE,
  i32Const,
  localGet,
  localSet,
} from './wasm-bytes.ts';

// The product out += sum_t val[t] G_t of rows listed with their coefficients, as addRows runs it (the
// list padded to a multiple of 8 with the first row and coefficient 0, then axpy8 eight rows at a
// time), inside wasm: the GD step's gdRow and the arena's addCombination gather their lists there and
// multiply without a call from JavaScript per eight rows.

/** Stack code for byte address base + (local i << shift). */
export const scaled = (base: number, i: number, shift: number) => [
  ...localGet(base),
  ...localGet(i),
  ...i32Const(shift),
  I32_SHL,
  I32_ADD,
];

export interface ProductLocals {
  /** byte address of the output row, and of its end (bytes of the vectorised columns) */
  out: number;
  end: number;
  /** byte addresses of the lists: row addresses (int32) and coefficients (float64) */
  idx: number;
  val: number;
  /** the list's length (updated to the padded length), and a scratch i32 */
  nnz: number;
  t: number;
}

/**
 * Code that returns 0 when the list is empty, else pads it, runs the product and leaves the padded
 * length on the stack (the function's result).
 */
export function gatheredProduct(l: ProductLocals, axpy8Index: number): number[] {
  const b: number[] = [...localGet(l.nnz), I32_EQZ, 0x04, 0x40, ...i32Const(0), 0x0f, 0x0b];
  // pad to a multiple of 8 with (first row, 0)
  b.push(0x02, 0x40, 0x03, 0x40);
  b.push(...localGet(l.nnz), ...i32Const(7), I32_AND, I32_EQZ, 0x0d, 1);
  b.push(...scaled(l.idx, l.nnz, 2), ...localGet(l.idx), ...I32_LOAD(), ...I32_STORE);
  b.push(...scaled(l.val, l.nnz, 3), ...f64Const(0), ...F64_STORE);
  b.push(...localGet(l.nnz), ...i32Const(1), I32_ADD, ...localSet(l.nnz), 0x0c, 0, 0x0b, 0x0b);
  // axpy8(out, end, idx[t..t+8), f32(val[t..t+8)))
  b.push(0x02, 0x40, 0x03, 0x40);
  b.push(...localGet(l.t), ...localGet(l.nnz), I32_GE_U, 0x0d, 1);
  b.push(...localGet(l.out), ...localGet(l.end));
  for (let k = 0; k < 8; k++) b.push(...scaled(l.idx, l.t, 2), ...I32_LOAD(4 * k));
  for (let k = 0; k < 8; k++) b.push(...scaled(l.val, l.t, 3), 0x2b, 3, 8 * k, F32_DEMOTE_F64);
  b.push(0x10, axpy8Index);
  b.push(...localGet(l.t), ...i32Const(8), I32_ADD, ...localSet(l.t), 0x0c, 0, 0x0b, 0x0b);
  b.push(...localGet(l.nnz));
  return b;
}

/**
 * combine(out, end, coef, count, m, rowBytes, idx, val) -> padded count, byte addresses: the nonzero
 * coef[i] (float64, i < count) listed with row m + i rowBytes, then gatheredProduct: SimdArena's
 * addCombination.
 */
export function combineBody(axpy8Index: number): number[] {
  const OUT = 0, END = 1, COEF = 2, COUNT = 3, M = 4, ROWBYTES = 5, IDX = 6, VAL = 7; // prettier-ignore
  const I = 8, NNZ = 9, T = 10, ROW = 11, V = 12; // prettier-ignore
  const b: number[] = [...localGet(M), ...localSet(ROW)];
  b.push(0x02, 0x40, 0x03, 0x40); // block, loop over the coefficients
  b.push(...localGet(I), ...localGet(COUNT), I32_GE_U, 0x0d, 1);
  b.push(...scaled(COEF, I, 3), ...F64_LOAD, ...localSet(V));
  // written every time; the count advances over the nonzero ones (-0 is zero, NaN is not)
  b.push(...scaled(IDX, NNZ, 2), ...localGet(ROW), ...I32_STORE);
  b.push(...scaled(VAL, NNZ, 3), ...localGet(V), ...F64_STORE);
  b.push(...localGet(NNZ), ...localGet(V), ...f64Const(0), F64_NE, I32_ADD, ...localSet(NNZ));
  b.push(...localGet(ROW), ...localGet(ROWBYTES), I32_ADD, ...localSet(ROW));
  b.push(...localGet(I), ...i32Const(1), I32_ADD, ...localSet(I), 0x0c, 0, 0x0b, 0x0b);
  b.push(...gatheredProduct({ out: OUT, end: END, idx: IDX, val: VAL, nnz: NNZ, t: T }, axpy8Index));
  return [2, 4, I32, 1, F64, ...b, 0x0b];
}

/** combine's function type: 8 i32 params, an i32 result. */
export const COMBINE_TYPE = [0x60, 8, ...Array(8).fill(I32), 1, I32];
