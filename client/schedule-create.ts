// Creating a schedule, then (never failing, since the schedule exists by then) reading its next run time.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { CONTROL_QUEUE } from '../sweep/queues.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import type { ScheduledSweepInput } from '../workflows/scheduled-sweep-workflow.ts';
import {
  checkWorkerService,
  looksLikeMissingWorkerService,
  workerServiceMissing,
} from './temporal-worker-service.ts';
import { ScheduleInputError, SCHEDULED_WORKFLOW_TYPE } from './schedule-session.ts';

export interface NewSchedule {
  name: string;
  spec: SweepSpec;
  // The absolute path the spec was read from, shown by describe.
  specFile: string;
  cron: string;
  catchupWindowMs: number;
  paused?: boolean;
  note?: string;
  // New seeds per scheduled run (schedule create --fresh-seeds); absent: every run trains the spec's seeds.
  freshSeeds?: number;
}

async function create(client: Client, s: NewSchedule): Promise<void> {
  const input: ScheduledSweepInput = { spec: s.spec, scheduleId: s.name, freshSeeds: s.freshSeeds };
  try {
    await client.schedule.create({
      scheduleId: s.name,
      spec: { cronExpressions: [s.cron] },
      action: {
        type: 'startWorkflow',
        workflowType: SCHEDULED_WORKFLOW_TYPE,
        taskQueue: CONTROL_QUEUE,
        workflowId: `schedule-${s.name}`,
        args: [input],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: s.catchupWindowMs },
      state: { paused: s.paused ?? false, note: s.note },
      memo: { cron: s.cron, spec_name: s.spec.name, spec_file: s.specFile },
    });
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) {
      throw new ScheduleInputError(
        `schedule '${s.name}' already exists (delete it first, or pick another name)`,
      );
    }
    throw err;
  }
}

// The next run time of a schedule just created, or why it cannot be known (never an error: the
// schedule exists).
async function nextRun(client: Client, name: string): Promise<{ next?: Date; warning?: string }> {
  try {
    const missing = await checkWorkerService(client);
    if (missing) return { warning: missing };
    return { next: (await client.schedule.getHandle(name).describe()).info.nextActionTimes[0] };
  } catch (err) {
    return {
      warning: looksLikeMissingWorkerService(err)
        ? workerServiceMissing(client.options.namespace)
        : `its next run could not be read: ${(err as Error).message}`,
    };
  }
}

export async function createSchedule(
  client: Client,
  schedule: NewSchedule,
): Promise<{ next?: Date; warning?: string }> {
  await create(client, schedule);
  return nextRun(client, schedule.name);
}
