// The js trainers' step loop: a long synchronous run cut into chunks, so that progress is reported
// and an abort can arrive between them.

export interface ChunkProgress {
  /** how many chunks, at least 1: progress is reported and an abort can arrive once per chunk */
  chunks: number;
  signal?: AbortSignal;
  /** after each chunk, the fraction of the steps done */
  onProgress?: (fraction: number) => void;
}

export interface ChunkedRun {
  steps: number;
  step: (t: number) => void;
  progress: ChunkProgress;
  /** after each chunk, before its progress, with the number of steps done; awaited (a tfjs trainer
   * reads its tensors there) */
  afterChunk?: (done: number) => void | Promise<void>;
}

export async function runInChunks({ steps, step, progress, afterChunk }: ChunkedRun): Promise<void> {
  const { chunks, signal, onProgress } = progress;
  const chunk = Math.max(1, Math.ceil(steps / Math.max(1, chunks)));
  for (let done = 0; done < steps;) {
    signal?.throwIfAborted();
    const upto = Math.min(steps, done + chunk);
    for (; done < upto; done++) step(done);
    await afterChunk?.(done);
    onProgress?.(done / steps);
    // Yield to the event loop so that an abort can arrive.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
