import { gdCoefficientsJs, gdRowBody, reluPowersBody, reluPowersJs, WASM_Q } from './gd-elementwise.ts';
import { COMBINE_TYPE, combineBody } from './gathered-product.ts';
import { axpyF64Body, axpyF64Type, GROUPS, type Group } from './float64-axpy.ts';
import { addCombination } from './kernels.ts';
import {
  F32,
  F32X4_ADD,
  F32X4_MUL,
  F32X4_RELAXED_MADD,
  F32X4_SPLAT,
  F64,
  I32,
  I32_ADD,
  I32_GE_U,
  leb,
  localGet,
  localSet,
  MODULE_HEADER,
  name,
  relaxedSimd,
  section,
  V128,
  V128_LOAD,
  V128_STORE,
  WebAssembly,
} from './wasm-bytes.ts';

// The hot loop of the fused trainer as a WebAssembly SIMD kernel (4 float32 lanes; ~5x the scalar
// JavaScript kernel on this machine). The module is a few dozen bytes assembled here from named
// opcodes, so there is no build step and nothing to download. The exported functions are
//   axpy8(out, end, g0..g7, c0..c7): for off in [0, end) step 16 bytes:
//     out[off] += c0 * g0[off] + ... + c7 * g7[off]        (byte addresses, float32x4 lanes)
//   mul(out, a, b, end): for off in [0, end) step 16 bytes: out[off] = a[off] * b[off]
// Matrices the kernel touches live in the instance's memory (a SimdArena); float32 accumulation, as
// in tfjs. A second module computes axpy8 with relaxed SIMD's fused multiply-add (one instruction and
// one rounding per product and sum instead of two), where the host has it: the sums then differ from
// the plain kernel's in the last float32 bits, so an arena uses it only when asked to.

function axpy8Body(fma: boolean): number[] {
  // params 0 out, 1 end, 2..9 g0..g7, 10..17 c0..c7; locals 18 off, 19..26 splatted c, 27 sum
  const OUT = 0, END = 1, G = 2, C = 10, OFF = 18, S = 19, SUM = 27; // prettier-ignore
  const body: number[] = [];
  for (let k = 0; k < 8; k++) body.push(...localGet(C + k), ...F32X4_SPLAT, ...localSet(S + k));
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop
  body.push(...localGet(OFF), ...localGet(END), I32_GE_U, 0x0d, 1); // br_if out of the block
  body.push(...localGet(OUT), ...localGet(OFF), I32_ADD, ...V128_LOAD, ...localSet(SUM));
  // sum = sum + c_k g_k in k order in both kernels
  for (let k = 0; k < 8; k++) {
    const g = [...localGet(G + k), ...localGet(OFF), I32_ADD, ...V128_LOAD];
    if (fma) body.push(...g, ...localGet(S + k), ...localGet(SUM), ...F32X4_RELAXED_MADD);
    else body.push(...localGet(SUM), ...g, ...localGet(S + k), ...F32X4_MUL, ...F32X4_ADD);
    body.push(...localSet(SUM));
  }
  body.push(...localGet(OUT), ...localGet(OFF), I32_ADD, ...localGet(SUM), ...V128_STORE);
  body.push(...localGet(OFF), 0x41, 16, I32_ADD, ...localSet(OFF), 0x0c, 0, 0x0b, 0x0b); // off += 16; br loop
  return [2, 1, I32, 9, V128, ...body, 0x0b];
}

function mulBody(): number[] {
  // params 0 out, 1 a, 2 b, 3 end; local 4 off
  const OUT = 0, A = 1, B = 2, END = 3, OFF = 4; // prettier-ignore
  const body: number[] = [0x02, 0x40, 0x03, 0x40]; // block, loop
  body.push(...localGet(OFF), ...localGet(END), I32_GE_U, 0x0d, 1); // br_if out of the block
  body.push(...localGet(OUT), ...localGet(OFF), I32_ADD); // store address
  body.push(...localGet(A), ...localGet(OFF), I32_ADD, ...V128_LOAD);
  body.push(...localGet(B), ...localGet(OFF), I32_ADD, ...V128_LOAD, ...F32X4_MUL);
  body.push(...V128_STORE);
  body.push(...localGet(OFF), 0x41, 16, I32_ADD, ...localSet(OFF), 0x0c, 0, 0x0b, 0x0b); // off += 16; br loop
  return [1, 1, I32, ...body, 0x0b];
}

const RELU_VARIANTS = WASM_Q.flatMap((q) => [true, false].map((keepSlope) => ({ q, keepSlope })));
const reluExport = (q: number, keepSlope: boolean) => `relu${q}${keepSlope ? 'slope' : ''}`;

function kernelModule(fma: boolean): Uint8Array {
  const axpy8 = axpy8Body(fma);
  const mul = mulBody();
  // functions: 0 axpy8, 1 mul, then the reluPowers variants, then gdRow (which calls axpy8)
  const relus = RELU_VARIANTS.map(({ q, keepSlope }) => reluPowersBody(q, keepSlope));
  const gdRow = gdRowBody(0);
  const wide = GROUPS.map(axpyF64Body);
  const bodies = [axpy8, mul, ...relus, gdRow, ...wide, combineBody(0)];
  const exports = [
    [...name('axpy8'), 0x00, 0],
    [...name('mul'), 0x00, 1],
    ...RELU_VARIANTS.map(({ q, keepSlope }, k) => [...name(reluExport(q, keepSlope)), 0x00, 2 + k]),
    [...name('gdRow'), 0x00, 2 + relus.length],
    ...GROUPS.map((size, k) => [...name(`axpy${size}d`), 0x00, 3 + relus.length + k]),
    [...name('combine'), 0x00, bodies.length - 1],
  ];
  return new Uint8Array([
    ...MODULE_HEADER,
    ...section(1, [
      5 + GROUPS.length,
      ...[0x60, 18, ...Array(10).fill(I32), ...Array(8).fill(F32), 0],
      ...[0x60, 4, ...Array(4).fill(I32), 0],
      ...[0x60, 6, ...Array(6).fill(I32), 0],
      ...[0x60, 9, ...Array(6).fill(I32), F64, I32, I32, 1, I32],
      ...GROUPS.flatMap(axpyF64Type),
      ...COMBINE_TYPE,
    ]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]),
    ...section(3, [
      bodies.length,
      0,
      1,
      ...relus.map(() => 2),
      3,
      ...GROUPS.map((_, k) => 4 + k),
      4 + GROUPS.length,
    ]),
    ...section(7, [exports.length, ...exports.flat()]),
    ...section(10, [bodies.length, ...bodies.flatMap((body) => [...leb(body.length), ...body])]),
  ]);
}

type Axpy8 = (out: number, end: number, ...rest: number[]) => void;
type Mul = (out: number, a: number, b: number, end: number) => void;
// prettier-ignore
type Combine = (out: number, end: number, coef: number, count: number, m: number, rowBytes: number, idx: number, val: number) => number;
type AxpyF64 = (out: number, end: number, ...rest: number[]) => void;
type ReluPowers = (
  pre: number,
  out: number,
  slope: number,
  branch: number,
  rows: number,
  cols: number,
) => void;
// prettier-ignore
type GdRow = (z: number, gram: number, g: number, slope: number, gamma: number, cols: number, ns: number, idx: number, val: number) => number;

const plainBytes = kernelModule(false);
const compiled = WebAssembly.validate(plainBytes) ? new WebAssembly.Module(plainBytes) : null;

const fusedBytes = kernelModule(true);
const fused = compiled !== null && relaxedSimd(fusedBytes) ? new WebAssembly.Module(fusedBytes) : null;

/** Whether arenas that ask for fused multiply-add get it on this host. */
export const FUSED_MULTIPLY_ADD = fused !== null;

export interface ArenaOptions {
  /** axpy8 with relaxed SIMD's fused multiply-add where available; plain SIMD otherwise */
  fusedMultiplyAdd?: boolean;
  /**
   * the GD step's element-wise pass (reluPowers, gdRow) and addCombination's gathering in JavaScript
   * rather than wasm: the reference that the wasm code matches bit for bit
   */
  jsElementwise?: boolean;
}

/** Float offsets (f32, idx) and float64 offsets (f64) of the operands of SimdArena.gdRow. */
export interface GdRowAt {
  /** the filter's pre-activations on the training set (float32), updated by the product */
  z: number;
  /** the Gram matrix (float32, cols x cols) */
  gram: number;
  /** dL/df per sample, the slopes relu(z)^(q-1) and the filter's accumulated coefficients (float64) */
  g: number;
  slope: number;
  gamma: number;
  /** room for cols + 8 row offsets (int32) and coefficients (float64), for the wasm pass */
  idx: number;
  val: number;
}

/**
 * Coefficients per addCombination that the wasm path gathers (beyond, the JavaScript one): each arena
 * keeps room for a copy of them and their lists past the floats it was asked for.
 */
const SCRATCH = 8192;
const SCRATCH_BYTES = 8 * SCRATCH + 12 * (SCRATCH + 8);

/** A float32 work area; `addCombination` uses the SIMD kernel where the host supports it. */
export class SimdArena {
  readonly f32: Float32Array;
  private next = 0;
  /** floats that alloc may hand out */
  private readonly capacity: number;
  private readonly combine: Combine | null;
  /** byte addresses of addCombination's scratch: coefficients, row addresses, gathered coefficients */
  private readonly scratch = { coef: 0, idx: 0, val: 0 };
  private readonly axpy8: Axpy8 | null;
  private readonly mul: Mul | null;
  private readonly relu: Map<string, ReluPowers>;
  private readonly gdRowWasm: GdRow | null;
  private readonly axpyF64: Map<Group, AxpyF64>;
  /** float64 view of the same memory; alloc64 hands out regions of it */
  readonly f64: Float64Array;
  /** the same memory as f32, for copies that move bits without converting them to float64 and back */
  private readonly bits: Int32Array;
  private idx = new Int32Array(0);
  private val = new Float64Array(0);
  /** whether this arena's axpy8 fuses its multiply-adds */
  readonly fusedMultiplyAdd: boolean;

  constructor(floats: number, options: ArenaOptions = {}) {
    const module = options.fusedMultiplyAdd === true && fused !== null ? fused : compiled;
    this.fusedMultiplyAdd = module !== null && module === fused;
    this.capacity = floats;
    if (module === null) {
      this.combine = null;
      this.f32 = new Float32Array(floats);
      this.bits = new Int32Array(this.f32.buffer);
      this.f64 = new Float64Array(this.f32.buffer);
      this.axpy8 = null;
      this.mul = null;
      this.relu = new Map();
      this.gdRowWasm = null;
      this.axpyF64 = new Map();
      return;
    }
    const scratchAt = Math.ceil(floats / 4) * 16;
    this.scratch = { coef: scratchAt, idx: scratchAt + 8 * SCRATCH, val: scratchAt + 12 * SCRATCH + 32 };
    const bytes = scratchAt + SCRATCH_BYTES + 64;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    this.f32 = new Float32Array(memory.buffer);
    this.bits = new Int32Array(memory.buffer);
    this.axpy8 = instance.exports.axpy8 as Axpy8;
    this.mul = instance.exports.mul as Mul;
    this.f64 = new Float64Array(memory.buffer);
    const js = options.jsElementwise === true;
    this.relu = new Map(
      js
        ? []
        : RELU_VARIANTS.map(({ q, keepSlope }) => {
            const key = reluExport(q, keepSlope);
            return [key, instance.exports[key] as ReluPowers];
          }),
    );
    this.gdRowWasm = js ? null : (instance.exports.gdRow as GdRow);
    this.axpyF64 = new Map(GROUPS.map((size) => [size, instance.exports[`axpy${size}d`] as AxpyF64]));
    this.combine = js ? null : (instance.exports.combine as Combine);
  }

  /** The rows x cols matrix at `from`, transposed into `to` (cols x rows), in cache-sized tiles. */
  transpose(from: number, rows: number, cols: number, to: number): void {
    const b = this.bits;
    const TILE = 32;
    for (let r0 = 0; r0 < rows; r0 += TILE) {
      const r1 = Math.min(rows, r0 + TILE);
      for (let c0 = 0; c0 < cols; c0 += TILE) {
        const c1 = Math.min(cols, c0 + TILE);
        for (let r = r0; r < r1; r++)
          for (let c = c0; c < c1; c++) b[to + c * rows + r] = b[from + r * cols + c];
      }
    }
  }

  /** f32[o .. o+cols) = f32[a .. a+cols) * f32[b .. b+cols), elementwise (exact float32 products). */
  multiply(o: number, a: number, b: number, cols: number): void {
    const f = this.f32;
    const vec = this.mul === null ? 0 : cols & ~3;
    if (vec > 0) this.mul!(o * 4, a * 4, b * 4, vec * 4);
    for (let j = vec; j < cols; j++) f[o + j] = f[a + j] * f[b + j];
  }

  /** A region of `length` floats (16-byte aligned); returns its float offset. */
  alloc(length: number): number {
    const at = this.next;
    this.next += Math.ceil(length / 4) * 4;
    if (this.next > this.capacity) throw new Error('SimdArena: out of space');
    return at;
  }

  /** A region of `length` float64s (16-byte aligned); returns its offset in f64. */
  alloc64(length: number): number {
    return this.alloc(2 * length) / 2;
  }

  /**
   * f64[out + i] += sum_r f64[branch + r] relu(z)^q for z = f32[pre + r*cols + i], r < rows, i < cols
   * (the filters' part of the network's outputs); with slope >= 0, f64[slope + r*cols + i] =
   * relu(z)^(q-1) too. Bit for bit reluPowersJs, in wasm where it has this q and cols is even.
   */
  reluPowers(
    q: number,
    pre: number,
    out: number,
    slope: number,
    branch: number,
    rows: number,
    cols: number,
  ): void {
    const wasm = cols % 2 === 0 ? this.relu.get(reluExport(q, slope >= 0)) : undefined;
    if (wasm === undefined) {
      reluPowersJs(this.f32, this.f64, q, { pre, out, slope, branch }, rows, cols);
      return;
    }
    wasm(pre * 4, out * 8, Math.max(0, slope) * 8, branch * 8, rows, cols);
  }

  /**
   * One filter's GD update on the Gram form: its coefficients (gdCoefficientsJs, with ns = -lr q
   * branch) into gamma, and f32[z ..] += sum_i c_i Gram_i (addRows). In wasm, without a call per
   * product, where cols is a multiple of 4.
   */
  gdRow(at: GdRowAt, cols: number, ns: number): void {
    if (this.gdRowWasm !== null && cols % 4 === 0) {
      // prettier-ignore
      this.gdRowWasm(at.z * 4, at.gram * 4, at.g * 8, at.slope * 8, at.gamma * 8, cols, ns, at.idx * 4, at.val * 8);
      return;
    }
    if (this.idx.length < cols + 8) {
      this.idx = new Int32Array(cols + 8);
      this.val = new Float64Array(cols + 8);
    }
    const nnz = gdCoefficientsJs(this.f32, this.f64, at, cols, ns, this.idx, this.val);
    this.addRows(at.z, cols, this.idx, this.val, nnz);
  }

  /**
   * kernels.ts's addCombination on arena matrices, bit for bit (float64 sums, one float32 rounding per
   * group of rows): f32[o .. o+cols) += sum_i coef[c+i] * f32[m + i*cols ..) for i < count. In wasm
   * where cols is even.
   */
  addCombination64(o: number, cols: number, coef: Float64Array, c: number, count: number, m: number): void {
    const f = this.f32;
    if (this.axpyF64.size === 0 || cols % 2 !== 0) {
      addCombination(f.subarray(o, o + cols), 0, cols, coef, c, count, f.subarray(m, m + count * cols));
      return;
    }
    if (this.idx.length < count + 8) {
      this.idx = new Int32Array(count + 8);
      this.val = new Float64Array(count + 8);
    }
    const { idx, val } = this;
    let nnz = 0;
    for (let i = 0; i < count; i++) {
      const v = coef[c + i];
      if (v !== 0) {
        idx[nnz] = (m + i * cols) * 4;
        val[nnz++] = v;
      }
    }
    const out = o * 4;
    const end = cols * 4;
    const a8 = this.axpyF64.get(8)!;
    const a4 = this.axpyF64.get(4)!;
    const a1 = this.axpyF64.get(1)!;
    let t = 0;
    for (; t + 8 <= nnz; t += 8) {
      // prettier-ignore
      a8(out, end, idx[t], idx[t + 1], idx[t + 2], idx[t + 3], idx[t + 4], idx[t + 5], idx[t + 6], idx[t + 7],
        val[t], val[t + 1], val[t + 2], val[t + 3], val[t + 4], val[t + 5], val[t + 6], val[t + 7]);
    }
    for (; t + 4 <= nnz; t += 4)
      a4(out, end, idx[t], idx[t + 1], idx[t + 2], idx[t + 3], val[t], val[t + 1], val[t + 2], val[t + 3]);
    for (; t < nnz; t++) a1(out, end, idx[t], val[t]);
  }

  /** f32[o .. o+cols) += sum_i coef[c+i] * f32[m + i*cols .. m + (i+1)*cols) for i < count. */
  addCombination(o: number, cols: number, coef: Float64Array, c: number, count: number, m: number): void {
    const f = this.f32;
    if (this.axpy8 === null) {
      addCombination(f.subarray(o, o + cols), 0, cols, coef, c, count, f.subarray(m, m + count * cols));
      return;
    }
    if (this.combine !== null && count <= SCRATCH) {
      this.combineInWasm(o, cols, coef, c, count, m);
      return;
    }
    if (this.idx.length < count + 8) {
      this.idx = new Int32Array(count + 8);
      this.val = new Float64Array(count + 8);
    }
    const { idx, val } = this;
    let nnz = 0;
    for (let i = 0; i < count; i++) {
      const v = coef[c + i];
      if (v !== 0) {
        idx[nnz] = m + i * cols;
        val[nnz++] = v;
      }
    }
    this.addRows(o, cols, idx, val, nnz);
  }

  /** addCombination's gathering and product in wasm; coefficients outside the arena are copied in. */
  private combineInWasm(
    o: number,
    cols: number,
    coef: Float64Array,
    c: number,
    count: number,
    m: number,
  ): void {
    const { f32: f, f64, bits, scratch } = this;
    let coefAt = scratch.coef;
    if (coef.buffer === f64.buffer) coefAt = coef.byteOffset + 8 * c;
    else f64.set(coef.subarray(c, c + count), scratch.coef / 8);
    const vec = cols & ~3;
    const nnz = this.combine!(o * 4, vec * 4, coefAt, count, m * 4, cols * 4, scratch.idx, scratch.val);
    // the columns past the last vector, as addRows sums them
    for (let j = vec; j < cols && nnz > 0; j++) {
      let s = 0;
      for (let t = 0; t < nnz; t++) s += f64[scratch.val / 8 + t] * f[bits[scratch.idx / 4 + t] / 4 + j];
      f[o + j] += s;
    }
  }

  /**
   * f32[o .. o+cols) += sum_t val[t] * f32[idx[t] .. idx[t]+cols) for t < nnz: addCombination with the
   * nonzero coefficients already gathered (float offsets of the rows in idx). idx and val need room
   * for 7 more entries, used as zero padding.
   */
  addRows(o: number, cols: number, idx: Int32Array, val: Float64Array, count: number): void {
    const f = this.f32;
    let nnz = count;
    if (nnz === 0) return;
    if (this.axpy8 === null) {
      for (let t = 0; t < nnz; t++) for (let j = 0; j < cols; j++) f[o + j] += val[t] * f[idx[t] + j];
      return;
    }
    while (nnz % 8 !== 0) {
      idx[nnz] = idx[0];
      val[nnz++] = 0;
    }
    const vec = cols & ~3;
    const out = o * 4;
    for (let t = 0; t < nnz; t += 8) {
      // prettier-ignore
      this.axpy8(out, vec * 4,
        idx[t] * 4, idx[t + 1] * 4, idx[t + 2] * 4, idx[t + 3] * 4,
        idx[t + 4] * 4, idx[t + 5] * 4, idx[t + 6] * 4, idx[t + 7] * 4,
        val[t], val[t + 1], val[t + 2], val[t + 3], val[t + 4], val[t + 5], val[t + 6], val[t + 7]);
    }
    for (let j = vec; j < cols; j++) {
      let s = 0;
      for (let t = 0; t < nnz; t++) s += val[t] * f[idx[t] + j];
      f[o + j] += s;
    }
  }
}
