// Client side: waiting for a sweep and watching its progress query.
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { progressQuery } from '../workflows/queries.ts';
import type { SweepSummary } from '../activities/contract.ts';
import type { SweepProgress } from '../workflows/types.ts';
import type { SweepHandle } from './start-sweep.ts';

export type SweepEnd =
  | { outcome: 'finished'; summary: SweepSummary }
  | { outcome: 'cancelled' }
  | { outcome: 'failed'; error: string };

// Follows the run chain across continue-as-new to the end.
export async function awaitSweep(handle: SweepHandle): Promise<SweepEnd> {
  try {
    return { outcome: 'finished', summary: await handle.result() };
  } catch (err) {
    if (err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure)
      return { outcome: 'cancelled' };
    return { outcome: 'failed', error: err instanceof Error ? err.message : String(err) };
  }
}

export async function queryProgress(handle: SweepHandle): Promise<SweepProgress> {
  return handle.query(progressQuery);
}

// Calls onProgress with each answer of the progress query until `until` settles (a progress bar sits
// on top of this). A query that fails (no worker has picked the workflow up yet) is skipped.
export async function pollProgress(
  handle: SweepHandle,
  until: Promise<unknown>,
  onProgress: (p: SweepProgress) => void,
  intervalMs = 1000,
): Promise<void> {
  let finished = false;
  const done = until.then(
    () => (finished = true),
    () => (finished = true),
  );
  while (!finished) {
    try {
      onProgress(await queryProgress(handle));
    } catch {
      // Not answerable yet or any more: the next poll or `until` decides.
    }
    await Promise.race([done, new Promise((r) => setTimeout(r, intervalMs))]);
  }
}
