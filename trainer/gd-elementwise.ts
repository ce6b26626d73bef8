import { FLUSH_BELOW, flushTiny } from './flush.ts';
import { gatheredProduct, scaled } from './gathered-product.ts';
import {
  F64_LOAD,
  F64_STORE,
  F64X2_ABS,
  F64X2_LE,
  F64X2_LT,
  f64x2ExtractLane,
  i32x4ExtractLane,
  V128_AND,
  V128_ANDNOT,
  V128_ANY_TRUE,
  V128_NOT,
  F64X2_ADD,
  F64X2_GT,
  F64X2_MAX,
  F64X2_MUL,
  F64X2_PROMOTE_LOW_F32X4,
  F64X2_SPLAT,
  f64x2Const,
  I32,
  I32_ADD,
  I32_AND,
  I32_GE_U,
  I32_SHL,
  I32_SHR_U,
  I32_STORE,
  i32Const,
  localGet,
  localSet,
  V128,
  V128_BITSELECT,
  V128_CONST_ZERO,
  V128_LOAD,
  V128_LOAD64_ZERO,
  V128_STORE,
} from './wasm-bytes.ts';

// The element-wise pass of the fused supervised GD step (fused-supervised.ts), as WebAssembly beside
// the SIMD product, over the same memory: the ReLU powers of the pre-activations, the outputs f, and
// each filter's GD coefficients, gathered and handed to the product without leaving wasm. It computes
// in float64, operation for operation as the JavaScript below (its reference and the fallback), so
// the outcomes keep their bits: float64 lanes (f64x2), the same products in the same order, sums per
// sample over the filters in filter order, and no fused multiply-add.

/** The exponents q with a wasm pass; another q runs the JavaScript. */
export const WASM_Q = [1, 2, 3] as const;

/** relu(z)^(q-1) given relu(z) (the step function for q = 1); NaN stays NaN. */
export function powQm1(rz: number, q: number): number {
  if (q === 1) return rz > 0 ? 1 : rz === 0 ? 0 : rz;
  if (q === 2) return rz;
  if (q === 3) return rz * rz;
  return rz ** (q - 1);
}

/**
 * For rows r < rows and samples i < cols: out[i] += branch[r] * relu(z) * relu(z)^(q-1), z = pre[r][i]
 * (float32, rows of cols); with slope >= 0, slope[r][i] = relu(z)^(q-1) (float64). Float offsets
 * into f32 and f64, the same memory.
 */
export function reluPowersJs(
  f32: Float32Array,
  f64: Float64Array,
  q: number,
  at: { pre: number; out: number; slope: number; branch: number },
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const br = f64[at.branch + r];
    const o = at.pre + r * cols;
    const so = at.slope + r * cols;
    for (let i = 0; i < cols; i++) {
      const rz = Math.max(0, f32[o + i]);
      const pw = powQm1(rz, q);
      if (at.slope >= 0) f64[so + i] = pw;
      f64[at.out + i] += br * rz * pw;
    }
  }
}

/**
 * One filter's GD coefficients c_i = flush(ns * g[i] * slope[i]) for the samples whose ReLU is active
 * (z > 0, or NaN); the nonzero ones are added to gamma and gathered (float offset of Gram row i in idx,
 * c in val) for the product Z_row += sum c_i G_i. Returns how many.
 */
export function gdCoefficientsJs(
  f32: Float32Array,
  f64: Float64Array,
  at: { z: number; gram: number; g: number; slope: number; gamma: number },
  cols: number,
  ns: number,
  idx: Int32Array,
  val: Float64Array,
): number {
  let nnz = 0;
  for (let i = 0; i < cols; i++) {
    if (f32[at.z + i] <= 0) continue;
    const c = flushTiny(ns * f64[at.g + i] * f64[at.slope + i]);
    if (c === 0) continue;
    f64[at.gamma + i] += c;
    idx[nnz] = at.gram + i * cols;
    val[nnz++] = c;
  }
  return nnz;
}

/**
 * reluPowers(pre, out, slope, branch, rows, cols), byte addresses, cols even: reluPowersJs with the
 * exponent q built in, two samples per f64x2; `keepSlope` false gives the variant that stores no slope.
 */
export function reluPowersBody(q: (typeof WASM_Q)[number], keepSlope: boolean): number[] {
  const PRE = 0, OUT = 1, SLOPE = 2, BRANCH = 3, ROWS = 4, COLS = 5; // prettier-ignore
  const R = 6, J = 7, END = 8, BR = 9, RZ = 10, PW = 11; // prettier-ignore
  const pw = q === 1 ? PW : q === 2 ? RZ : PW;
  const b: number[] = [...localGet(COLS), ...i32Const(3), I32_SHL, ...localSet(END)];
  b.push(0x02, 0x40, 0x03, 0x40); // block, loop over rows
  b.push(...localGet(R), ...localGet(ROWS), I32_GE_U, 0x0d, 1);
  b.push(...localGet(BRANCH), ...localGet(R), ...i32Const(3), I32_SHL, I32_ADD, ...F64_LOAD);
  b.push(...F64X2_SPLAT, ...localSet(BR), ...i32Const(0), ...localSet(J));
  b.push(0x02, 0x40, 0x03, 0x40); // block, loop over pairs of samples
  b.push(...localGet(J), ...localGet(END), I32_GE_U, 0x0d, 1);
  // rz = max(0, z): z's float32 pair (byte j / 2 of the row) widened to float64
  b.push(...V128_CONST_ZERO, ...localGet(PRE), ...localGet(J), ...i32Const(1), I32_SHR_U, I32_ADD);
  b.push(...V128_LOAD64_ZERO, ...F64X2_PROMOTE_LOW_F32X4, ...F64X2_MAX, ...localSet(RZ));
  // q = 1: 1 where rz > 0, else rz (0, or NaN); q = 3: rz * rz
  if (q === 1) {
    b.push(...f64x2Const(1), ...localGet(RZ), ...localGet(RZ), ...V128_CONST_ZERO, ...F64X2_GT);
    b.push(...V128_BITSELECT, ...localSet(PW));
  }
  if (q === 3) b.push(...localGet(RZ), ...localGet(RZ), ...F64X2_MUL, ...localSet(PW));
  if (keepSlope) b.push(...localGet(SLOPE), ...localGet(J), I32_ADD, ...localGet(pw), ...V128_STORE);
  // out += (br * rz) * pw
  b.push(...localGet(OUT), ...localGet(J), I32_ADD);
  b.push(...localGet(OUT), ...localGet(J), I32_ADD, ...V128_LOAD);
  b.push(...localGet(BR), ...localGet(RZ), ...F64X2_MUL, ...localGet(pw), ...F64X2_MUL, ...F64X2_ADD);
  b.push(...V128_STORE);
  b.push(...localGet(J), ...i32Const(16), I32_ADD, ...localSet(J), 0x0c, 0, 0x0b, 0x0b);
  // next row: pre by cols floats, slope by cols doubles
  b.push(...localGet(PRE), ...localGet(COLS), ...i32Const(2), I32_SHL, I32_ADD, ...localSet(PRE));
  b.push(...localGet(SLOPE), ...localGet(END), I32_ADD, ...localSet(SLOPE));
  b.push(...localGet(R), ...i32Const(1), I32_ADD, ...localSet(R), 0x0c, 0, 0x0b, 0x0b);
  return [2, 3, I32, 3, V128, ...b, 0x0b];
}

/**
 * gdRow(z, gram, g, slope, gamma, cols, ns, idx, val) -> count, byte addresses, cols a multiple of 4:
 * gdCoefficientsJs on two samples per f64x2 (a pair with no kept coefficient, the common case once
 * the loss is small, costs a few instructions), then the product z += sum c_t G_t through `axpy8`
 * (function index axpy8Index), eight rows at a time, the last group padded with zero coefficients on
 * the first row, as addRows pads it. Returns the padded count.
 */
export function gdRowBody(axpy8Index: number): number[] {
  const Z = 0, GRAM = 1, G = 2, SLOPE = 3, GAMMA = 4, COLS = 5, NS = 6, IDX = 7, VAL = 8; // prettier-ignore
  const J = 9, NNZ = 10, ROW = 11, T = 12, END = 13, ROWBYTES = 14, C = 15, KEEP = 16, NSV = 17; // prettier-ignore
  const at = scaled;
  const addr = (base: number) => [...localGet(base), ...localGet(J), I32_ADD]; // float64 arrays, byte j
  const b: number[] = [...localGet(GRAM), ...localSet(ROW), ...localGet(NS), ...F64X2_SPLAT];
  b.push(...localSet(NSV), ...localGet(COLS), ...i32Const(3), I32_SHL, ...localSet(END));
  b.push(...localGet(COLS), ...i32Const(2), I32_SHL, ...localSet(ROWBYTES));
  b.push(0x02, 0x40, 0x03, 0x40); // block, loop over pairs of samples
  b.push(...localGet(J), ...localGet(END), I32_GE_U, 0x0d, 1);
  // c = (ns * g) * slope
  b.push(...localGet(NSV), ...addr(G), ...V128_LOAD, ...F64X2_MUL, ...addr(SLOPE), ...V128_LOAD);
  b.push(...F64X2_MUL, ...localSet(C));
  // keep = !(z <= 0) & !(|c| < FLUSH_BELOW); z's float32 pair is at byte j / 2
  b.push(...localGet(Z), ...localGet(J), ...i32Const(1), I32_SHR_U, I32_ADD, ...V128_LOAD64_ZERO);
  b.push(...F64X2_PROMOTE_LOW_F32X4, ...V128_CONST_ZERO, ...F64X2_LE, ...V128_NOT);
  b.push(...localGet(C), ...F64X2_ABS, ...f64x2Const(FLUSH_BELOW), ...F64X2_LT, ...V128_ANDNOT);
  b.push(...localSet(KEEP), ...localGet(KEEP), ...V128_ANY_TRUE, 0x04, 0x40); // if any kept
  // gamma += keep ? c : 0 (gamma is never -0, so adding +0 keeps its bits)
  b.push(...addr(GAMMA), ...addr(GAMMA), ...V128_LOAD, ...localGet(C), ...localGet(KEEP), ...V128_AND);
  b.push(...F64X2_ADD, ...V128_STORE);
  // each lane to the lists; the count advances over the kept ones
  for (const lane of [0, 1]) {
    b.push(...at(IDX, NNZ, 2), ...localGet(ROW), ...I32_STORE);
    b.push(...at(VAL, NNZ, 3), ...localGet(C), ...f64x2ExtractLane(lane), ...F64_STORE);
    b.push(...localGet(NNZ), ...localGet(KEEP), ...i32x4ExtractLane(2 * lane), ...i32Const(1));
    b.push(I32_AND, I32_ADD, ...localSet(NNZ));
    b.push(...localGet(ROW), ...localGet(ROWBYTES), I32_ADD, ...localSet(ROW));
  }
  b.push(0x05); // else: the pair's Gram rows are skipped
  b.push(...localGet(ROW), ...localGet(ROWBYTES), ...i32Const(1), I32_SHL, I32_ADD, ...localSet(ROW));
  b.push(0x0b); // end if
  b.push(...localGet(J), ...i32Const(16), I32_ADD, ...localSet(J), 0x0c, 0, 0x0b, 0x0b);
  b.push(...gatheredProduct({ out: Z, end: ROWBYTES, idx: IDX, val: VAL, nnz: NNZ, t: T }, axpy8Index));
  return [2, 6, I32, 3, V128, ...b, 0x0b];
}
