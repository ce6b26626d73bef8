// `schedule trigger`: start a scheduled run now and say at once when no worker polls the task queues
// the schedule's stored action needs; with --wait, follow that run to its end.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
} from '@temporalio/client';
import { formatCounts } from '../store/sweep-counts.ts';
import { getSweep } from '../store/sweeps.ts';
import { isSettled } from '../sweep/statuses.ts';
import { awaitSweep, type SweepEnd } from '../client/await-sweep.ts';
import type { ScheduledSweepInput, ScheduledSweepResult } from '../workflows/scheduled-sweep-workflow.ts';
import { parseDuration } from './duration.ts';
import { existingSchedule, withTemporal } from './schedule-session.ts';
import { withStore } from './store-session.ts';
import { recordHeadline } from './views/drift.ts';
import { outageNotice } from './temporal-outage.ts';
import {
  noWorkerMessage,
  trainQueueOf,
  unpolledQueues,
  waitForWorker,
  type SweepQueues,
} from './wait-for-worker.ts';

export interface TriggerOptions {
  wait?: boolean;
  timeout?: string;
}

// Temporal's scheduler takes a triggered action a moment after the call returns.
const TAKE_POLL_MS = 250;
const TAKE_LIMIT_MS = 60_000;

// The queues of what the schedule starts: its action's workflow queue and its stored spec's training
// queue (the spec was captured at `schedule create`, so today's defaults do not apply).
function storedQueues(d: ScheduleDescription): Required<SweepQueues> {
  const input = d.action.args?.[0] as Partial<ScheduledSweepInput> | undefined;
  return { workflowQueue: d.action.taskQueue, trainQueue: trainQueueOf(input?.spec) };
}

interface TakenRun {
  workflowId: string;
  firstExecutionRunId: string;
}

// The run the trigger started, or (overlapping runs are skipped) the one still running instead.
async function takenRun(handle: ScheduleHandle, before: ScheduleDescription): Promise<TakenRun | undefined> {
  const deadline = Date.now() + TAKE_LIMIT_MS;
  while (Date.now() < deadline) {
    const { info } = await handle.describe();
    if (info.numActionsTaken > before.info.numActionsTaken) return info.recentActions.at(-1)?.action.workflow;
    if (info.numActionsSkippedOverlap > before.info.numActionsSkippedOverlap) {
      const running = info.runningActions.at(-1)?.workflow;
      console.log(
        running
          ? 'a run is still going (overlapping runs are skipped): waiting for it'
          : 'skipped for a run that ended meanwhile: nothing to wait for',
      );
      return running;
    }
    await sleep(TAKE_POLL_MS);
  }
  throw new Error(
    `schedule '${handle.scheduleId}' took no run within ${TAKE_LIMIT_MS / 1000} s of the trigger (\`phasesweep schedule describe ${handle.scheduleId}\` shows its state)`,
  );
}

async function followRun(client: Client, run: TakenRun, address: string) {
  console.log(`waiting for run ${run.workflowId} (Ctrl-C stops waiting, not the run)`);
  const handle = client.workflow.getHandle<(input: ScheduledSweepInput) => Promise<ScheduledSweepResult>>(
    run.workflowId,
    undefined,
    { firstExecutionRunId: run.firstExecutionRunId },
  );
  return awaitSweep(handle, outageNotice(address));
}

// What the run did, in the store's words; the exit code (0 only for a settled sweep).
async function reportEnd(name: string, end: SweepEnd<ScheduledSweepResult>, databaseUrl: string) {
  if (end.outcome === 'cancelled') {
    console.log(`the run of schedule ${name} was cancelled`);
    return 1;
  }
  if (end.outcome === 'failed') throw new Error(`the run of schedule ${name} failed: ${end.error}`);
  const { summary, drift } = end.summary;
  const sweep = await withStore((pool) => getSweep(pool, summary.sweep_id), databaseUrl);
  const status = sweep?.status ?? summary.status;
  console.log(`sweep ${summary.sweep_id} ${status}: ${sweep ? formatCounts(sweep.counts) : 'no counts'}`);
  if (drift) {
    console.log(`drift: ${recordHeadline(drift, summary.sweep_id)}`);
  }
  return isSettled(status) ? 0 : 1;
}

// Returns the exit code. --timeout implies --wait.
export async function triggerSchedule(name: string, opts: TriggerOptions): Promise<number> {
  const timeoutMs = opts.timeout === undefined ? undefined : parseDuration(opts.timeout);
  return withTemporal(async (client, endpoints) => {
    const handle = await existingSchedule(client, name);
    const before = await handle.describe();
    const queues = storedQueues(before);
    await handle.trigger(ScheduleOverlapPolicy.SKIP);
    console.log(`schedule ${name}: triggered`);
    if (!opts.wait && timeoutMs === undefined) {
      for (const queue of await unpolledQueues(client, queues)) {
        console.error(noWorkerMessage(queue, queues.trainQueue, 'the run waits until one does'));
      }
      return 0;
    }
    const waiting = takenRun(handle, before).then((run) =>
      run ? followRun(client, run, endpoints.temporalAddress) : undefined,
    );
    const end = await waitForWorker(waiting, {
      client,
      ...queues,
      timeoutMs,
      timeoutLabel: opts.timeout,
      what: `the run of schedule ${name} is still going`,
    });
    // A skipped trigger whose running run ended meanwhile: nothing left to wait for.
    return end ? reportEnd(name, end, endpoints.databaseUrl) : 0;
  });
}
