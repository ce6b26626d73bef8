// Starting a scheduled run now, and finding the run that the trigger started (or, since overlapping runs
// are skipped, the one still running instead).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
} from '@temporalio/client';
import type { ScheduledSweepInput, ScheduledSweepResult } from '../workflows/scheduled-sweep-workflow.ts';
import { existingSchedule } from './schedule-session.ts';

// Temporal's scheduler takes a triggered action a moment after the call returns.
const TAKE_POLL_MS = 250;
const TAKE_LIMIT_MS = 60_000;

export interface Triggered {
  handle: ScheduleHandle;
  // The schedule as it was just before the trigger.
  before: ScheduleDescription;
  // What the schedule starts: its workflow's queue, and the spec captured at `schedule create` (so
  // today's defaults do not apply).
  workflowQueue: string;
  spec: ScheduledSweepInput['spec'] | undefined;
}

export async function triggerSchedule(client: Client, name: string): Promise<Triggered> {
  const handle = await existingSchedule(client, name);
  const before = await handle.describe();
  await handle.trigger(ScheduleOverlapPolicy.SKIP);
  const input = before.action.args?.[0] as Partial<ScheduledSweepInput> | undefined;
  return { handle, before, workflowQueue: before.action.taskQueue, spec: input?.spec };
}

export interface TakenRun {
  workflowId: string;
  firstExecutionRunId: string;
}

// The run the trigger started; when it was skipped for a running one, `onSkipped` hears whether one
// still runs and that one is returned (undefined if it ended meanwhile).
export async function takenRun(
  { handle, before }: Triggered,
  onSkipped: (stillRunning: boolean) => void,
): Promise<TakenRun | undefined> {
  const deadline = Date.now() + TAKE_LIMIT_MS;
  while (Date.now() < deadline) {
    const { info } = await handle.describe();
    if (info.numActionsTaken > before.info.numActionsTaken) return info.recentActions.at(-1)?.action.workflow;
    if (info.numActionsSkippedOverlap > before.info.numActionsSkippedOverlap) {
      const running = info.runningActions.at(-1)?.workflow;
      onSkipped(running !== undefined);
      return running;
    }
    await sleep(TAKE_POLL_MS);
  }
  throw new Error(
    `schedule '${handle.scheduleId}' took no run within ${TAKE_LIMIT_MS / 1000} s of the trigger (\`phasesweep schedule describe ${handle.scheduleId}\` shows its state)`,
  );
}

export function runHandle(client: Client, run: TakenRun) {
  return client.workflow.getHandle<(input: ScheduledSweepInput) => Promise<ScheduledSweepResult>>(
    run.workflowId,
    undefined,
    { firstExecutionRunId: run.firstExecutionRunId },
  );
}
