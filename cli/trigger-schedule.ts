// `schedule trigger`: start a scheduled run now and say at once when no worker polls the task queues
// the schedule's stored action needs; with --wait, follow that run to its end.
import type { Client } from '@temporalio/client';
import { awaitSweep, type SweepEnd } from '../client/await-sweep.ts';
import { withTemporal } from '../client/schedule-session.ts';
import { runHandle, takenRun, triggerSchedule, type TakenRun } from '../client/schedule-trigger.ts';
import { formatCounts } from '../store/sweep-counts.ts';
import { getSweep } from '../store/sweeps.ts';
import { isSettled } from '../sweep/statuses.ts';
import type { ScheduledSweepResult } from '../workflows/scheduled-sweep-workflow.ts';
import { withStore } from './store-session.ts';
import { outageNotice } from './temporal-outage.ts';
import { recordHeadline } from './views/drift.ts';
import { noWorkerMessage, trainQueueOf, unpolledQueues, waitForWorker } from './wait-for-worker.ts';

async function followRun(client: Client, run: TakenRun, address: string) {
  console.log(`waiting for run ${run.workflowId} (Ctrl-C stops waiting, not the run)`);
  return awaitSweep(runHandle(client, run), outageNotice(address));
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

// Returns the exit code. A timeout implies waiting.
export async function triggerScheduleCommand(
  name: string,
  opts: { wait?: boolean; timeoutMs?: number; timeoutLabel?: string },
): Promise<number> {
  return withTemporal(async (client, endpoints) => {
    const triggered = await triggerSchedule(client, name);
    const queues = { workflowQueue: triggered.workflowQueue, trainQueue: trainQueueOf(triggered.spec) };
    console.log(`schedule ${name}: triggered`);
    if (!opts.wait && opts.timeoutMs === undefined) {
      for (const queue of await unpolledQueues(client, queues)) {
        console.error(noWorkerMessage(queue, queues.trainQueue, 'the run waits until one does'));
      }
      return 0;
    }
    const skipped = (stillRunning: boolean) =>
      console.log(
        stillRunning
          ? 'a run is still going (overlapping runs are skipped): waiting for it'
          : 'skipped for a run that ended meanwhile: nothing to wait for',
      );
    const waiting = takenRun(triggered, skipped).then((run) =>
      run ? followRun(client, run, endpoints.temporalAddress) : undefined,
    );
    const end = await waitForWorker(waiting, {
      client,
      ...queues,
      timeoutMs: opts.timeoutMs,
      timeoutLabel: opts.timeoutLabel,
      what: `the run of schedule ${name} is still going`,
    });
    // A skipped trigger whose running run ended meanwhile: nothing left to wait for.
    return end ? reportEnd(name, end, endpoints.databaseUrl) : 0;
  });
}
