import { TrainingThreads } from '../activities/index.ts';
import { batchCells, cutBatches } from '../sweep/batches.ts';
import { DEFAULT_BATCH_SIZE } from '../sweep/spec-schema.ts';
import type { BackendName, CellParams, CellResult } from '../trainer/index.ts';

// A grid as a worker running `threads` trainBatch activities at once trains it: cells in the order
// registerSweep stores them, cut as planBatches cuts them, each batch on the worker's own pool of
// training threads (the one production uses). Results in the order of `cells`.
export async function trainOnWorkerPool(
  cells: CellParams[],
  backend: BackendName | undefined,
  threads: number,
): Promise<CellResult[]> {
  const stored = batchCells(
    cells.map((params, ordinal) => ({ key: String(ordinal), ordinal, params })),
    DEFAULT_BATCH_SIZE,
  ).flat();
  const ranges = cutBatches(
    stored.map((cell, ordinal) => ({ ordinal, params: cell.params })),
    DEFAULT_BATCH_SIZE,
    threads,
  );
  const pool = new TrainingThreads(backend);
  const results: CellResult[] = new Array(cells.length);
  let next = 0;
  const activity = async () => {
    for (let i = next++; i < ranges.length; i = next++) {
      const batch = stored.slice(ranges[i].fromOrdinal, ranges[i].toOrdinal + 1);
      const out = await pool.train(batch.map((cell) => cell.params));
      batch.forEach((cell, j) => (results[cell.ordinal] = out[j]));
    }
  };
  try {
    await Promise.all(Array.from({ length: threads }, activity));
  } finally {
    await pool.close();
  }
  return results;
}
