// Temporal's view of a schedule: its settings, what it has done, and its next runs.
import type { Client, ScheduleDescription } from '@temporalio/client';
import type { ScheduledSweepInput } from '../workflows/scheduled-sweep-workflow.ts';
import { existingSchedule } from './schedule-session.ts';

export interface ScheduleState {
  schedule_id: string;
  cron: string | null;
  spec_name: string | null;
  spec_file: string | null;
  paused: boolean;
  note: string | null;
  overlap: ScheduleDescription['policies']['overlap'];
  catchup_window_ms: number;
  actions_taken: number;
  skipped_overlap: number;
  missed_catchup: number;
  running: string[];
  next_runs: Date[];
  // `schedule create --fresh-seeds N`: the seeds each run after the first adds (0: none).
  fresh_seeds: number;
}

const memoText = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export async function describeSchedule(client: Client, name: string): Promise<ScheduleState> {
  const d = await (await existingSchedule(client, name)).describe();
  const input = d.action.args?.[0] as Partial<ScheduledSweepInput> | undefined;
  return {
    schedule_id: name,
    cron: memoText(d.memo?.cron),
    spec_name: memoText(d.memo?.spec_name),
    spec_file: memoText(d.memo?.spec_file),
    paused: d.state.paused,
    note: d.state.note ?? null,
    overlap: d.policies.overlap,
    catchup_window_ms: d.policies.catchupWindow,
    actions_taken: d.info.numActionsTaken,
    skipped_overlap: d.info.numActionsSkippedOverlap,
    missed_catchup: d.info.numActionsMissedCatchupWindow,
    running: d.info.runningActions.map((a) => a.workflow.workflowId),
    next_runs: d.info.nextActionTimes.slice(0, 3),
    fresh_seeds: input?.freshSeeds ?? 0,
  };
}
