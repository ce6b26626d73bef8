import {
  parseCellParams,
  type CellParams,
  type CellParamsInput,
  type CellResult,
} from '../../trainer/index.ts';

// Helpers shared by the trainer tests: build a grid of cells and read mean results back per point.

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
