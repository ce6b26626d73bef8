// Client side: waiting for a sweep and watching its progress query.
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledFailure, WorkflowFailedError, isGrpcServiceError } from '@temporalio/client';
import { progressQuery } from '../workflows/queries.ts';
import type { SweepSummary } from '../activities/contract.ts';
import type { SweepProgress } from '../workflows/types.ts';
import type { SweepHandle } from './start-sweep.ts';

// A sweep's end; a scheduled run (workflows/scheduled-sweep-workflow.ts) ends with its own result.
export type SweepEnd<R = SweepSummary> =
  { outcome: 'finished'; summary: R } | { outcome: 'cancelled' } | { outcome: 'failed'; error: string };

// Told when Temporal stops answering while a sweep is awaited, and when it answers again.
export interface OutageHooks {
  onUnavailable?(reason: string): void;
  onResumed?(): void;
}

// gRPC UNAVAILABLE and DEADLINE_EXCEEDED: the frontend is down or restarting, not the sweep failing.
const OUTAGE_CODES = new Set([14, 4]);
// A restart takes seconds; past this, Temporal is gone and waiting on would only hide it.
export const MAX_OUTAGE_MS = 15 * 60_000;

export function outageReason(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    // grpc-js ends a refused connection's details with an empty "Resolution note:".
    if (isGrpcServiceError(e) && OUTAGE_CODES.has(e.code))
      return (e.details || e.message).replace(/\.?\s*Resolution note:\s*$/, '');
  }
  return undefined;
}

export type AwaitableRun<R> = Pick<SweepHandle, 'describe'> & { result(): Promise<R> };

// Follows the run chain across continue-as-new to the end, waiting out Temporal outages of up to
// MAX_OUTAGE_MS (the sweep goes on without us; we only lose sight of it).
export async function awaitSweep<R = SweepSummary>(
  handle: AwaitableRun<R>,
  hooks: OutageHooks = {},
): Promise<SweepEnd<R>> {
  for (;;) {
    try {
      return { outcome: 'finished', summary: await handle.result() };
    } catch (err) {
      if (err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure)
        return { outcome: 'cancelled' };
      const reason = outageReason(err);
      if (reason === undefined || !(await outlast(handle, reason, hooks))) {
        return { outcome: 'failed', error: err instanceof Error ? err.message : String(err) };
      }
    }
  }
}

// Polls until the workflow can be described again; false when the outage outlasts MAX_OUTAGE_MS.
async function outlast(
  handle: Pick<SweepHandle, 'describe'>,
  reason: string,
  hooks: OutageHooks,
): Promise<boolean> {
  hooks.onUnavailable?.(reason);
  const deadline = Date.now() + MAX_OUTAGE_MS;
  while (Date.now() < deadline) {
    await sleep(2_000);
    try {
      await handle.describe();
      hooks.onResumed?.();
      return true;
    } catch (err) {
      if (outageReason(err) === undefined) return false;
    }
  }
  return false;
}

export async function queryProgress(handle: SweepHandle): Promise<SweepProgress> {
  return handle.query(progressQuery);
}

// Calls onProgress with each reading until `until` settles (a progress bar sits on top of this). A
// reading that fails is skipped: the next poll or `until` decides.
export async function pollProgress<P>(
  read: () => Promise<P>,
  until: Promise<unknown>,
  onProgress: (p: P) => void,
  intervalMs = 1000,
): Promise<void> {
  let finished = false;
  const done = until.then(
    () => (finished = true),
    () => (finished = true),
  );
  while (!finished) {
    try {
      onProgress(await read());
    } catch {
      // Not readable yet or any more.
    }
    await Promise.race([done, new Promise((r) => setTimeout(r, intervalMs))]);
  }
}
