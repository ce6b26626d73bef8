import { TrainingThreads } from '../activities/index.ts';
import { batchCells, cutBatches } from '../sweep/batches.ts';
import { DEFAULT_BATCH_SIZE } from '../sweep/spec-schema.ts';
import {
  METHOD,
  parseCellParams,
  type BackendName,
  type CellParams,
  type CellResult,
} from '../trainer/index.ts';

/**
 * A pool of `threads` training threads, each started and its trainer loaded, as a worker's pool is
 * once the worker is up (it warms its threads at start-up, so a sweep never waits for them).
 */
export async function startedPool(
  backend: BackendName | undefined,
  threads: number,
): Promise<TrainingThreads> {
  const pool = new TrainingThreads(backend);
  // Batches in flight at once each take their own thread.
  const noop = parseCellParams({ method: METHOD.noop });
  await Promise.all(Array.from({ length: threads }, () => pool.train([noop])));
  return pool;
}

// A grid as a worker running `threads` trainBatch activities at once trains it: cells in the order
// registerSweep stores them, cut as planBatches cuts them, each batch on the worker's own pool of
// training threads (the one production uses). Results in the order of `cells`. Without `started` it
// starts (and closes) a pool of its own, whose start-up is then part of the time.
export async function trainOnWorkerPool(
  cells: CellParams[],
  backend: BackendName | undefined,
  threads: number,
  started?: TrainingThreads,
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
  const pool = started ?? new TrainingThreads(backend);
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
    if (started === undefined) await pool.close();
  }
  return results;
}
