import { sweepCounts } from '../store/sweep-counts.ts';
import { getSweep, updateSweep } from '../store/sweeps.ts';
import type { SweepSpec } from '../sweep/spec-schema.ts';
import type { FinishSweepInput, SweepSummary } from './contract.ts';
import type { ActivityDeps } from './deps.ts';
import { storeSweepBoundaries } from './store-boundaries.ts';

// The final word on a sweep, counted from the store rather than from the workflow's counters (which
// cannot see results written by activities still finishing after a cancel). A sweep that ran to the
// end yet has cells with neither result nor failure is reported `failed`, never `completed`.
export function makeFinishSweep({ pool }: ActivityDeps) {
  return async function finishSweep(input: FinishSweepInput): Promise<SweepSummary> {
    const { sweepId } = input;
    const sweep = await getSweep(pool, sweepId);
    if (!sweep) {
      // Cancelled or failed before it was registered: nothing to summarise.
      return { sweep_id: sweepId, status: input.status, total: 0, done: 0, cached: 0, failed: 0, pending: 0 };
    }
    const counts = await sweepCounts(pool, sweepId);
    const status =
      input.status !== 'completed'
        ? input.status
        : counts.pending > 0
          ? 'failed'
          : counts.failed > 0
            ? 'completed_with_failures'
            : 'completed';
    // Before the status: a retry after a failed write stores them again, and no reader sees a finished
    // sweep without them.
    await storeSweepBoundaries(pool, sweepId, sweep.spec as SweepSpec);
    await updateSweep(pool, sweepId, { status, finished_at: new Date() });
    return { sweep_id: sweepId, status, ...counts };
  };
}
