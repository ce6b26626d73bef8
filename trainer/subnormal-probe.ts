import { SimdArena } from './simd.ts';

// Does this CPU pay for float32 subnormals in the trainer's SIMD kernel? Intel cores take a microcode
// assist (tens to hundreds of cycles) per subnormal operand; AMD Zen cores handle most of them at full
// speed. The same kernel runs on the same data with a normal and with a subnormal coefficient,
// alternating, and the median ratio of their times is returned (about 1 where subnormals are free).

const COLS = 1024;
const ROWS = 8;
const REPEATS = 400;

function timeKernel(arena: SimdArena, coef: Float64Array, out: number, rows: number): number {
  const t0 = performance.now();
  for (let k = 0; k < REPEATS; k++) arena.addCombination(out, COLS, coef, 0, ROWS, rows);
  return performance.now() - t0;
}

/** time on subnormal operands / time on normal ones, median of `rounds` alternating measurements */
export function subnormalSlowdown(rounds = 5): number {
  const arena = new SimdArena((ROWS + 1) * COLS);
  const rows = arena.alloc(ROWS * COLS);
  const out = arena.alloc(COLS);
  arena.f32.fill(1, rows, rows + ROWS * COLS);
  const normal = new Float64Array(ROWS).fill(1e-3);
  const subnormal = new Float64Array(ROWS).fill(1e-39);
  timeKernel(arena, normal, out, rows); // warm-up: compile before timing
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const tNormal = timeKernel(arena, normal, out, rows);
    ratios.push(timeKernel(arena, subnormal, out, rows) / tNormal);
  }
  return ratios.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}
