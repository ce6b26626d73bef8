import type { CellParams } from '../trainer/index.ts';
import { shapeKey } from './batches.ts';
import type { Cell } from './cells.ts';

// What `run --dry-run` tells before anything starts: the grid's cells, those already stored, and the
// CPU time the rest would take, from the stored timings of cells of the same method and shape.
export interface DryRunEstimate {
  cells: number;
  cached: number;
  to_train: number;
  // Cells to train whose shape has stored timings, and their summed mean time; null when none has.
  estimated_cells: number;
  cpu_s: number | null;
  // Distinct shapes among the cells to train, and how many of them have no stored timing.
  shapes: number;
  shapes_without_timing: number;
}

export interface StoredShapeTiming {
  params: Record<string, unknown>;
  mean_ms: number;
}

export function estimateDryRun(
  cells: readonly Cell[],
  stored: ReadonlySet<string>,
  timings: readonly StoredShapeTiming[],
): DryRunEstimate {
  const meanMs = new Map(timings.map((t) => [shapeKey(t.params as unknown as CellParams), t.mean_ms]));
  const toTrain = cells.filter((c) => !stored.has(c.key));
  const shapes = new Set(toTrain.map((c) => shapeKey(c.params)));
  const timed = toTrain.filter((c) => meanMs.has(shapeKey(c.params)));
  const totalMs = timed.reduce((sum, c) => sum + meanMs.get(shapeKey(c.params))!, 0);
  return {
    cells: cells.length,
    cached: cells.length - toTrain.length,
    to_train: toTrain.length,
    estimated_cells: timed.length,
    cpu_s: timed.length > 0 ? totalMs / 1000 : null,
    shapes: shapes.size,
    shapes_without_timing: [...shapes].filter((s) => !meanMs.has(s)).length,
  };
}
