import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ControlActivities, ScheduleDriftOutcome, SweepSummary } from '../activities/contract.ts';
import { withFreshSeeds } from '../sweep/fresh-seeds.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import { isSettled } from '../sweep/statuses.ts';
import { sweepWorkflow } from './sweep-workflow.ts';

export interface ScheduledSweepInput {
  spec: SweepSpec;
  scheduleId: string;
  // `schedule create --fresh-seeds N`: every run after the first trains N seeds no earlier run had.
  freshSeeds?: number;
}

export interface ScheduledSweepResult {
  summary: SweepSummary;
  drift: ScheduleDriftOutcome | null;
}

const control = proxyActivities<Pick<ControlActivities, 'recordScheduleDrift' | 'freshSeedStart'>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

// What a Temporal Schedule starts: one ordinary sweep (a child, tagged with the schedule; it names
// itself from its own run id), then its drift against the previous run of the same schedule (with
// fresh seeds: against all earlier runs; a program's, of one version: sweep/drift-baseline.ts),
// recorded in the store for `show` and the nightly dashboard.
// The fresh seeds' start is read from the store by an activity, so a replay trains the same seeds.
export async function scheduledSweepWorkflow(input: ScheduledSweepInput): Promise<ScheduledSweepResult> {
  const fresh = input.freshSeeds ?? 0;
  const spec =
    fresh > 0
      ? withFreshSeeds(input.spec, await control.freshSeedStart({ scheduleId: input.scheduleId }), fresh)
      : input.spec;
  const summary = await executeChild(sweepWorkflow, {
    args: [{ spec, scheduleId: input.scheduleId }],
    workflowId: `${workflowInfo().workflowId}-sweep`,
  });
  const drift = isSettled(summary.status)
    ? await control.recordScheduleDrift({ sweepId: summary.sweep_id, freshSeeds: fresh > 0 })
    : null;
  return { summary, drift };
}
