import { Worker } from 'node:worker_threads';
import type { CellParams } from './params.ts';
import { batchKey, pretrainKey, workOf } from './grouping.ts';
import { trainCells } from './train.ts';
import type { CellResult, TrainOptions } from './types.ts';

// tfjs runs one op at a time on the calling thread, so a multi-core host trains batches in parallel
// on worker threads, each with its own backend instance. Whole batches go to one thread, largest
// first to the least loaded thread, by their estimated work.

export interface ParallelOptions extends TrainOptions {
  /** default 2 */
  threads?: number;
}

function runThread(cells: CellParams[], opts: ParallelOptions, onProgress: (f: number) => void) {
  const worker = new Worker(new URL('./thread-entry.js', import.meta.url), {
    workerData: { cells, backend: opts.backend, curvePoints: opts.curvePoints },
  });
  return new Promise<CellResult[]>((resolve, reject) => {
    const abort = () => {
      void worker.terminate();
      reject(opts.signal?.reason ?? new Error('aborted'));
    };
    opts.signal?.addEventListener('abort', abort, { once: true });
    worker.on(
      'message',
      (msg: { type: string; fraction?: number; results?: CellResult[]; message?: string }) => {
        if (msg.type === 'progress') onProgress(msg.fraction ?? 0);
        else if (msg.type === 'done') resolve(msg.results ?? []);
        else reject(new Error(msg.message));
      },
    );
    worker.on('error', reject);
    worker.on('exit', (code) => {
      opts.signal?.removeEventListener('abort', abort);
      if (code !== 0) reject(new Error(`training thread exited with code ${code}`));
    });
  });
}

/** Like trainCells, with batches spread over `threads` worker threads; results in input order. */
export async function trainCellsParallel(
  cells: CellParams[],
  opts: ParallelOptions = {},
): Promise<CellResult[]> {
  const threads = Math.max(1, opts.threads ?? 2);
  opts.signal?.throwIfAborted();
  const groups = new Map<string, number[]>();
  // Batches that share their pre-training go to the same thread, which then pre-trains once.
  const shareKey = (cell: CellParams) =>
    cell.method === 'simclr' ? `simclr:${pretrainKey(cell)}` : batchKey(cell);
  cells.forEach((cell, i) => groups.set(shareKey(cell), [...(groups.get(shareKey(cell)) ?? []), i]));
  if (threads === 1 || groups.size === 1) return trainCells(cells, opts);

  const weight = (idx: number[]) => idx.reduce((s, i) => s + workOf(cells[i]), 0);
  const bins = Array.from({ length: threads }, () => ({ indices: [] as number[], work: 0 }));
  for (const idx of [...groups.values()].sort((a, b) => weight(b) - weight(a))) {
    const lightest = bins.reduce((a, b) => (b.work < a.work ? b : a));
    lightest.indices.push(...idx);
    lightest.work += weight(idx);
  }
  const used = bins.filter((b) => b.indices.length > 0);
  const total = used.reduce((s, b) => s + b.work, 0);
  const fractions = used.map(() => 0);
  const report = () =>
    opts.onProgress?.(total > 0 ? used.reduce((s, b, i) => s + fractions[i] * b.work, 0) / total : 1);
  const outs = await Promise.all(
    used.map((bin, t) =>
      runThread(
        bin.indices.map((i) => cells[i]),
        opts,
        (f) => {
          fractions[t] = f;
          report();
        },
      ),
    ),
  );
  const results: CellResult[] = new Array(cells.length);
  used.forEach((bin, t) => bin.indices.forEach((i, j) => (results[i] = outs[t][j])));
  return results;
}
