import type { Tensor } from '@tensorflow/tfjs-core';
import { runInChunks, type ChunkedRun } from './chunked-steps.ts';

// The tfjs trainers' step loop: tfjs queues the steps' work, so after each chunk one small tensor is
// read to run it; progress then means steps computed, not steps queued.

export interface TfjsChunkedRun extends Omit<ChunkedRun, 'afterChunk'> {
  /** the tensor read after each chunk (disposed here): a 1x1 slice, or the values a curve needs */
  probe: () => Tensor;
  /** the probe's values, with the number of steps done */
  onProbe?: (values: Float32Array, done: number) => void;
}

export function runTfjsInChunks({ probe, onProbe, ...run }: TfjsChunkedRun): Promise<void> {
  return runInChunks({
    ...run,
    afterChunk: async (done) => {
      const read = probe();
      const values = (await read.data()) as Float32Array;
      read.dispose();
      onProbe?.(values, done);
    },
  });
}
