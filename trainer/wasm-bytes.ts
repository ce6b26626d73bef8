import { setFlagsFromString } from 'node:v8';

// WebAssembly modules assembled from named opcodes (no build step, nothing to download): the few
// encodings the SIMD kernels use, and the switch that turns relaxed SIMD on where V8 keeps it behind
// a flag (Node 20, V8 11.3; newer V8 ships it on).

/** A module's magic number and version (1). */
export const MODULE_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export const leb = (value: number): number[] => {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v) byte |= 0x80;
    out.push(byte);
  } while (v);
  return out;
};
export const name = (s: string) => [...leb(s.length), ...Buffer.from(s)];
export const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export const localGet = (i: number) => [0x20, i];
export const localSet = (i: number) => [0x21, i];
export const simd = (op: number) => [0xfd, ...leb(op)];
export const V128_LOAD = [...simd(0x00), 0, 0];
export const V128_STORE = [...simd(0x0b), 0, 0];
export const F32X4_SPLAT = simd(0x13);
export const F32X4_ADD = simd(0xe4);
export const F32X4_MUL = simd(0xe6);
export const F32X4_RELAXED_MADD = simd(0x105); // a * b + c, fused where the CPU can
export const I32_ADD = 0x6a;
export const I32_GE_U = 0x4f;

// The project's TypeScript libs carry no WebAssembly declarations; this is the little used here.
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Memory: new (desc: { initial: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
export const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * Whether `bytes` (a module using relaxed SIMD) validates, after turning V8's flag on if needed.
 * V8 reads its wasm feature flags when it validates a module, so a flag set now still applies.
 */
export function relaxedSimd(bytes: Uint8Array): boolean {
  if (WebAssembly.validate(bytes)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(bytes);
}

// Scalar and float64 encodings of the GD step's element-wise pass (gd-elementwise.ts).
export const F64 = 0x7c;
export const i32Const = (v: number) => {
  if (v < 0 || v > 63) throw new Error('i32Const: only 0..63 encode in one byte');
  return [0x41, v];
};
export const f64Const = (x: number) => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)];
export const V128_CONST_ZERO = [...simd(0x0c), ...Array(16).fill(0)];
export const f64x2Const = (x: number) => [...simd(0x0c), ...new Uint8Array(Float64Array.of(x, x).buffer)];
export const I32_LOAD = (offset = 0) => [0x28, 2, ...leb(offset)];
export const I32_STORE = [0x36, 2, 0];
export const F64_LOAD = [0x2b, 3, 0];
export const F64_STORE = [0x39, 3, 0];
export const V128_LOAD64_ZERO = [...simd(0x5d), 0, 0];
export const F64X2_PROMOTE_LOW_F32X4 = simd(0x5f);
export const F64X2_SPLAT = simd(0x14);
export const F64X2_GT = simd(0x4a);
export const F64X2_ADD = simd(0xf0);
export const F64X2_MUL = simd(0xf2);
export const F64X2_MAX = simd(0xf5);
export const V128_BITSELECT = simd(0x52);
export const I32_EQZ = 0x45;
export const I32_AND = 0x71;
export const I32_SHL = 0x74;
export const I32_SHR_U = 0x76;
export const F32_DEMOTE_F64 = 0xb6;
export const F64X2_ABS = simd(0xec);
export const F64X2_LT = simd(0x49);
export const F64X2_LE = simd(0x4b);
export const V128_NOT = simd(0x4d);
export const V128_AND = simd(0x4e);
export const V128_ANDNOT = simd(0x4f);
export const V128_ANY_TRUE = simd(0x53);
export const f64x2ExtractLane = (lane: number) => [...simd(0x21), lane];
export const i32x4ExtractLane = (lane: number) => [...simd(0x1b), lane];
export const F32X4_DEMOTE_F64X2_ZERO = simd(0x5e);
export const V128_STORE64_LANE0 = [...simd(0x5b), 0, 0, 0];
export const F64_NE = 0x62;
