import { setFlagsFromString } from 'node:v8';

// How far V8 lets the old generation grow past what survived the last full collection before it
// collects again. Left to itself, on a machine with gigabytes free, V8 lets it grow to about four
// times that (and to about 450 MB before the first full collection): the worker's cells, query rows
// and Temporal payloads outlive a scavenge or two, then die in the old generation, and that garbage
// piled up until the worker's peak memory followed the sweep's size (957 MB at 100,000 cells against
// 787 MB at 10,000), not what it holds. At 1.5 times, with the worker's 80-90 MB of live heap, a full
// collection comes about every 40 MB of such garbage.
export const HEAP_GROWING_PERCENT = 50;

// Read by V8 at each full collection, so setting it once the process runs takes effect from the next
// one; it applies to every isolate of the process, the training threads' included.
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
