import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  F32,
  F32X4_ADD,
  F32X4_MUL,
  F32X4_RELAXED_MADD,
  F32X4_SPLAT,
  I32,
  I32_ADD,
  leb,
  localGet,
  localSet,
  MODULE_HEADER,
  name,
  relaxedSimd,
  section,
  simd,
  V128,
  WebAssembly,
} from '../trainer/wasm-bytes.ts';

// The machine's float32 peak for WebAssembly SIMD, measured: a loop of independent multiply-adds on
// registers (no memory traffic) on every core at once, with separate multiply and add (the plain
// kernel's instructions) and with relaxed SIMD's fused multiply-add. The trainer's achieved GFLOP/s
// are printed against it, so one sees how far the physical limit is.

const CHAINS = 12; // independent accumulators: enough to cover the add and FMA latencies
const f32 = (x: number) => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)];

/** run(iters) -> f32: CHAINS accumulators, acc = acc * 0.5 + 1 each iteration (stays near 2). */
function peakModule(fma: boolean): Uint8Array {
  const ITERS = 0, I = 1, A = 2, B = 3, ACC = 4; // prettier-ignore
  const body: number[] = [
    ...f32(0.5),
    ...F32X4_SPLAT,
    ...localSet(A),
    ...f32(1),
    ...F32X4_SPLAT,
    ...localSet(B),
  ];
  body.push(0x03, 0x40); // loop
  for (let k = 0; k < CHAINS; k++) {
    if (fma) body.push(...localGet(ACC + k), ...localGet(A), ...localGet(B), ...F32X4_RELAXED_MADD);
    else body.push(...localGet(ACC + k), ...localGet(A), ...F32X4_MUL, ...localGet(B), ...F32X4_ADD);
    body.push(...localSet(ACC + k));
  }
  body.push(...localGet(I), 0x41, 1, I32_ADD, 0x22, I, ...localGet(ITERS), 0x49, 0x0d, 0, 0x0b); // i < iters
  body.push(...localGet(ACC));
  for (let k = 1; k < CHAINS; k++) body.push(...localGet(ACC + k), ...F32X4_ADD);
  body.push(...simd(0x1f), 0, 0x0b); // f32x4.extract_lane 0
  const code = [2, 1, I32, 2 + CHAINS, V128, ...body];
  return new Uint8Array([
    ...MODULE_HEADER,
    ...section(1, [1, 0x60, 1, I32, 1, F32]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('run'), 0x00, 0]),
    ...section(10, [1, ...leb(code.length), ...code]),
  ]);
}

// Each thread warms up, says so, and on the go signal times about `seconds` of the loop.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
require('node:v8').setFlagsFromString('--experimental-wasm-relaxed-simd');
const run = new WebAssembly.Instance(new WebAssembly.Module(workerData.bytes)).exports.run;
let iters = 1000;
for (let t = 0; performance.now() - t < 50; iters *= 2) { t = performance.now(); run(iters); if (iters > 1e9) break; }
parentPort.postMessage('ready');
parentPort.once('message', () => {
  const t0 = performance.now();
  let done = 0;
  while (performance.now() - t0 < workerData.seconds * 1000) { run(iters); done += iters; }
  parentPort.postMessage(done / ((performance.now() - t0) / 1000));
});`;

export interface SimdPeak {
  cores: number;
  /** GFLOP/s of all cores together, separate multiply and add */
  plain: number;
  /** the same with fused multiply-add, or null where relaxed SIMD is unavailable */
  fused: number | null;
}

async function measure(bytes: Uint8Array, cores: number, seconds: number): Promise<number> {
  const threads = Array.from(
    { length: cores },
    () => new Worker(THREAD, { eval: true, workerData: { bytes, seconds } }),
  );
  try {
    const next = (t: Worker) =>
      new Promise<unknown>((resolve, reject) => t.once('message', resolve).once('error', reject));
    await Promise.all(threads.map(next));
    const rates = threads.map(next);
    for (const t of threads) t.postMessage('go');
    const itersPerSecond = (await Promise.all(rates)) as number[];
    return itersPerSecond.reduce((s, r) => s + r * CHAINS * 4 * 2, 0) / 1e9;
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

/** The float32 wasm SIMD peak of `cores` cores running at once, about `seconds` per kernel. */
export async function simdPeak(cores = availableParallelism(), seconds = 0.5): Promise<SimdPeak> {
  const fusedBytes = peakModule(true);
  const plain = await measure(peakModule(false), cores, seconds);
  const fused =
    relaxedSimd(fusedBytes) && WebAssembly.validate(fusedBytes)
      ? await measure(fusedBytes, cores, seconds)
      : null;
  return { cores, plain, fused };
}
