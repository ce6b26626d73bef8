// While a command waits on a sweep, say on stderr when no worker polls its task queues (the wait would
// otherwise be silent forever), say when one appears, and give up after --timeout.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { hasLivePoller, type QueueType } from '../client/task-queue-pollers.ts';
import { CONTROL_QUEUE, TRAIN_QUEUES } from '../sweep/queues.ts';

const CHECK_EVERY_MS = 2_000;

// A stored sweep's training queue (its spec's resources.queue).
export function trainQueueOf(spec: unknown): string {
  const queue = (spec as { resources?: { queue?: unknown } } | null)?.resources?.queue;
  return typeof queue === 'string' ? queue : TRAIN_QUEUES[0];
}

export function noWorkerMessage(queue: string, trainQueue: string): string {
  return `no worker is polling task queue ${queue}: start one with phasesweep worker --queue ${trainQueue} (still waiting)`;
}

// Checks both queues until `settled` settles; a failed check is skipped (outages are reported elsewhere).
async function reportPollers(client: Client, trainQueue: string, settled: Promise<unknown>) {
  const queues: [string, QueueType][] = [
    [CONTROL_QUEUE, 'workflow'],
    [trainQueue, 'activity'],
  ];
  const missing = new Set<string>();
  let done = false;
  const ended = settled.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    for (const [queue, type] of queues) {
      // Bounded by a deadline so that the loop, and every call it makes, has ended when the wait has.
      const live = await client
        .withDeadline(Date.now() + CHECK_EVERY_MS, () => hasLivePoller(client, queue, type))
        .catch(() => undefined);
      if (done || live === undefined) continue;
      if (!live && !missing.has(queue)) {
        missing.add(queue);
        process.stderr.write(`${noWorkerMessage(queue, trainQueue)}\n`);
      } else if (live && missing.delete(queue)) {
        process.stderr.write(`a worker is polling task queue ${queue} now: going on\n`);
      }
    }
    await Promise.race([ended, sleep(CHECK_EVERY_MS, undefined, { ref: false })]);
  }
}

export interface WaitOptions {
  client: Client;
  trainQueue: string;
  // From --timeout: the wait ends with an error (exit 1) after this long.
  timeoutMs?: number;
  timeoutLabel?: string;
  // What is being waited for, for the timeout message.
  what: string;
}

export async function waitForWorker<T>(waiting: Promise<T>, opts: WaitOptions): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ended =
    opts.timeoutMs === undefined
      ? waiting
      : Promise.race([
          waiting,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`gave up after --timeout ${opts.timeoutLabel}: ${opts.what}`)),
              opts.timeoutMs,
            );
          }),
        ]);
  // Awaited before returning: the caller closes the connection next, and no check may be in flight then.
  const reporting = reportPollers(opts.client, opts.trainQueue, ended);
  try {
    return await ended;
  } finally {
    clearTimeout(timer);
    await reporting;
  }
}
