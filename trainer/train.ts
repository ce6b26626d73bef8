import { initBackend } from './backend.ts';
import { methodOf, workOf, type CellParams } from './methods/index.ts';
import type { CellResult, TrainOptions } from './types.ts';

// Each method trains its own cells; cells that share a batchKey are trained in one call, so that they
// share their data and computation.

/** Results in input order. */
export async function trainCells(cells: CellParams[], opts: TrainOptions = {}): Promise<CellResult[]> {
  const results: CellResult[] = new Array(cells.length);
  const groups = new Map<string, number[]>();
  cells.forEach((cell, i) => {
    const key = JSON.stringify([cell.method, methodOf(cell.method).batchKey(cell)]);
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });

  let backend: Promise<string> | undefined;
  const getBackend = () => (backend ??= initBackend(opts.backend));
  const totalWork = [...groups.values()].reduce((s, idx) => s + idx.length * workOf(cells[idx[0]]), 0);
  let doneWork = 0;
  let trained = false;
  for (const indices of groups.values()) {
    const method = methodOf(cells[indices[0]].method);
    if (method.trains) {
      trained = true;
      opts.signal?.throwIfAborted();
    }
    const groupWork = indices.length * workOf(cells[indices[0]]);
    const report = (f: number) =>
      opts.onProgress?.(totalWork > 0 ? (doneWork + f * groupWork) / totalWork : 1);
    const out = await method.train(
      indices.map((i) => cells[i]),
      { opts, backend: getBackend, report },
    );
    indices.forEach((i, b) => (results[i] = out[b]));
    doneWork += groupWork;
  }
  // Untrained cells alone report no progress, as they take none.
  if (trained) opts.onProgress?.(1);
  return results;
}

export async function trainCell(cell: CellParams, opts: TrainOptions = {}): Promise<CellResult> {
  const [result] = await trainCells([cell], opts);
  return result;
}
