// Runs inside a training thread: trains what the main thread sends and posts progress and results back.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, trainCells, type BackendName, type CellParams } from '../trainer/index.ts';
import { hangForever } from './fault-hang.ts';
import type { FromThread } from './training-threads.ts';

const port = parentPort!;
const { backend } = workerData as { backend?: BackendName };
const post = (message: FromThread) => port.postMessage(message);

await initBackend(backend);
port.on('message', async ({ cells, hang }: { cells: CellParams[]; hang: boolean }) => {
  if (hang) hangForever();
  try {
    const results = await trainCells(cells, {
      backend,
      onProgress: (fraction) => post({ type: 'progress', fraction }),
    });
    post({ type: 'result', results });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
