import { parentPort, workerData } from 'node:worker_threads';
import type { CellParams } from './params.ts';
import { trainCells } from './train.ts';
import type { BackendName } from './backend-names.ts';

// Body of one training thread (see parallel.ts): trains its share of the cells and posts the results.

const { cells, backend, curvePoints } = workerData as {
  cells: CellParams[];
  backend?: BackendName;
  curvePoints?: number;
};

try {
  const results = await trainCells(cells, {
    backend,
    curvePoints,
    onProgress: (fraction) => parentPort?.postMessage({ type: 'progress', fraction }),
  });
  parentPort?.postMessage({ type: 'done', results });
} catch (err) {
  parentPort?.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
