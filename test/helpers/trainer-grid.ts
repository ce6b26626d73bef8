import {
  parseCellParams,
  type CellParams,
  type CellParamsInput,
  type CellResult,
} from '../../trainer/index.ts';
import { initialFilters, labeledSet, signalNorm } from '../../trainer/data.ts';
import type { SupervisedGroup } from '../../trainer/supervised.ts';

// Helpers shared by the trainer tests: build a grid of cells, a batched supervised group, and read mean
// results back per point.

export const SNR_61 = Array.from({ length: 10 }, (_, i) => 0.1 * 10 ** (i / 9));
export const N_61 = [4, 8, 16, 32, 64, 128, 256];

export function grid(base: CellParamsInput, axes: Record<string, readonly number[]>): CellParams[] {
  let points: CellParamsInput[] = [base];
  for (const [name, values] of Object.entries(axes)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [name]: v })));
  }
  return points.map((p) => parseCellParams(p));
}

export function meanOf(
  cells: CellParams[],
  results: CellResult[],
  where: (cell: CellParams) => boolean,
  metric: (r: CellResult) => number | null,
): number {
  const values = cells.flatMap((c, i) => (where(c) ? [metric(results[i])] : []));
  if (values.length === 0 || values.some((v) => v === null)) {
    throw new Error(`no finite values for this selection: ${JSON.stringify(values)}`);
  }
  return (values as number[]).reduce((a, b) => a + b, 0) / values.length;
}

/** Cell `c` at each of `snrs`, as one batched supervised group (the same data and initial filters). */
export function supervisedGroupAt(c: CellParams, snrs: readonly number[]): SupervisedGroup {
  const one = initialFilters(c.seed, c.m, c.d, c.sigma0);
  const init = new Float32Array(snrs.length * one.length);
  snrs.forEach((_, b) => init.set(one, b * one.length));
  return {
    m: c.m,
    q: c.q,
    lr: c.lr,
    steps: c.steps,
    train: labeledSet(c.seed, 'train', c.n_labels, c.d, c.sigma_p, c.p),
    val: labeledSet(c.seed, 'val', c.n_val, c.d, c.sigma_p, c.p),
    test: labeledSet(c.seed, 'test', c.n_test, c.d, c.sigma_p, c.p),
    signalNorms: snrs.map((snr) => signalNorm(snr, c.sigma_p, c.d)),
    init,
  };
}
