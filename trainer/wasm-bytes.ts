import { setFlagsFromString } from 'node:v8';

// WebAssembly modules assembled from named opcodes (no build step, nothing to download): the few
// encodings the SIMD kernels use, and the switch that turns relaxed SIMD on where V8 keeps it behind
// a flag (Node 20, V8 11.3; newer V8 ships it on).

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
