import { Worker } from 'node:worker_threads';
import type { BackendName, CellParams, CellResult } from '../trainer/index.ts';

export type FromThread =
  | { type: 'progress'; fraction: number }
  | { type: 'result'; results: CellResult[] }
  | { type: 'error'; message: string };

const ENTRY = new URL('./training-thread-entry.js', import.meta.url);

// Training runs in worker threads, never on the worker's main thread: a batch is seconds of
// synchronous tensor work, and on the main thread it would starve the Temporal worker's event loop
// (workflow tasks, polls, heartbeats, cancellations), which shows as workflow task timeouts. Threads
// are reused between batches; a cancelled batch terminates its thread at once (the trainer's abort
// check would only run between chunks) and a fresh thread is started for the next batch.
export class TrainingThreads {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();

  constructor(private readonly backend?: BackendName) {}

  train(
    cells: CellParams[],
    // `hang` only from the fault hook (fault-hang.ts).
    opts: { signal?: AbortSignal; onProgress?: (fraction: number) => void; hang?: boolean } = {},
  ): Promise<CellResult[]> {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const thread = this.idle.pop() ?? this.spawn();
    return new Promise<CellResult[]>((resolve, reject) => {
      const cleanup = () => {
        thread.off('message', onMessage);
        thread.off('error', onError);
        thread.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
      };
      const discard = () => {
        this.all.delete(thread);
        void thread.terminate();
      };
      const onMessage = (message: FromThread) => {
        if (message.type === 'progress') {
          opts.onProgress?.(message.fraction);
          return;
        }
        cleanup();
        this.idle.push(thread);
        if (message.type === 'result') resolve(message.results);
        else reject(new Error(message.message));
      };
      const onError = (err: Error) => {
        cleanup();
        discard();
        reject(err);
      };
      const onExit = (code: number) => {
        cleanup();
        this.all.delete(thread);
        reject(new Error(`training thread exited with code ${code}`));
      };
      const onAbort = () => {
        cleanup();
        discard();
        reject(signal!.reason);
      };
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      thread.postMessage({ cells, hang: opts.hang === true });
    });
  }

  // Starts threads ahead of the first batch: loading the trainer and its backend takes about a second,
  // which then overlaps the worker's own start-up.
  warm(count: number): void {
    while (this.all.size < count) this.idle.push(this.spawn());
  }

  async close(): Promise<void> {
    const threads = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(threads.map((t) => t.terminate()));
  }

  private spawn(): Worker {
    const thread = new Worker(ENTRY, { workerData: { backend: this.backend } });
    this.all.add(thread);
    return thread;
  }
}
