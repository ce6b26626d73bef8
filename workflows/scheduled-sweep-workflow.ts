import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ControlActivities } from '../activities/contract.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import { isSettled } from '../sweep/statuses.ts';
import { sweepWorkflow } from './sweep-workflow.ts';
import type { SweepSummary } from '../activities/contract.ts';

export interface ScheduledSweepInput {
  spec: SweepSpec;
  scheduleId: string;
}

export interface ScheduledSweepResult {
  summary: SweepSummary;
  drift: { baseline_sweep_id: string; compared: number; moved: number } | null;
}

const control = proxyActivities<Pick<ControlActivities, 'recordScheduleDrift'>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

// What a Temporal Schedule starts: one ordinary sweep (a child, tagged with the schedule; it names
// itself from its own run id), then its drift against the previous run of the same schedule, recorded
// in the store for `show` and the nightly dashboard.
export async function scheduledSweepWorkflow(input: ScheduledSweepInput): Promise<ScheduledSweepResult> {
  const summary = await executeChild(sweepWorkflow, {
    args: [{ spec: input.spec, scheduleId: input.scheduleId }],
    workflowId: `${workflowInfo().workflowId}-sweep`,
  });
  const drift = isSettled(summary.status)
    ? await control.recordScheduleDrift({ sweepId: summary.sweep_id })
    : null;
  return { summary, drift };
}
