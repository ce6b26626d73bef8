// The js trainers' step loop: a long synchronous run cut into chunks, so that progress is reported
// and an abort can arrive between them.

export interface ChunkedRun {
  steps: number;
  /** how many chunks, at least 1: progress is reported and an abort can arrive once per chunk */
  chunks: number;
  signal?: AbortSignal;
  step: (t: number) => void;
  /** after each chunk, with the number of steps done; awaited (a tfjs trainer reads its tensors there) */
  afterChunk: (done: number) => void | Promise<void>;
}

export async function runInChunks({ steps, chunks, signal, step, afterChunk }: ChunkedRun): Promise<void> {
  const chunk = Math.max(1, Math.ceil(steps / Math.max(1, chunks)));
  for (let done = 0; done < steps;) {
    signal?.throwIfAborted();
    const upto = Math.min(steps, done + chunk);
    for (; done < upto; done++) step(done);
    await afterChunk(done);
    // Yield to the event loop so that an abort can arrive.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
