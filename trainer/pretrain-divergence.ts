import type { HeadWeights } from './contrastive.ts';

// When SimCLR pre-training has diverged (paper-spec 6.2 and sanity check 14 of 6.5: a run that overflows is flagged,
// never reported as a number): some weight of the encoder or of the projection head is NaN, infinite or
// beyond float32's range at the end of some step. The tfjs programs hold their weights in float32, where
// such a value is Inf or NaN and stays so; the js programs hold them in float64, where a head can reach
// 1e63 and stay finite (its ReLU maps a NaN embedding to 0 and freezes it), so they check every step and
// the two backends flag the same cells.

const FLOAT32_MAX = 3.4028234663852886e38;

/** Whether values[start, end) are all finite numbers float32 can hold (false for NaN). */
export function inFloat32Range(values: ArrayLike<number>, start = 0, end = values.length): boolean {
  for (let i = start; i < end; i++) if (!(Math.abs(values[i]) <= FLOAT32_MAX)) return false;
  return true;
}

/** Whether one cell's encoder rows (`size` values from `start`) or its head are out of range. */
export function cellOutOfRange(
  weights: ArrayLike<number>,
  start: number,
  size: number,
  head: HeadWeights,
): boolean {
  return (
    !inFloat32Range(weights, start, start + size) || !inFloat32Range(head.v1) || !inFloat32Range(head.v2)
  );
}

/** Per cell, latched: whether any step so far left a weight out of range. */
export class DivergenceWatch {
  readonly diverged: boolean[];

  constructor(
    cells: number,
    private readonly size: number,
  ) {
    this.diverged = Array.from({ length: cells }, () => false);
  }

  /** After a step: every cell's rows in `weights` (cell after cell) and its head. */
  check(weights: ArrayLike<number>, heads: HeadWeights[]): void {
    for (let b = 0; b < this.diverged.length; b++) {
      if (!this.diverged[b] && cellOutOfRange(weights, b * this.size, this.size, heads[b])) {
        this.diverged[b] = true;
      }
    }
  }
}

/** At the end of a float32 program: which cells' weights are out of range. */
export function divergedCells(weights: Float32Array, size: number, heads: HeadWeights[]): boolean[] {
  return heads.map((head, b) => cellOutOfRange(weights, b * size, size, head));
}
