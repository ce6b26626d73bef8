// While a command waits on a sweep, say on stderr when no worker polls its task queues (the wait would
// otherwise be silent forever), say when one appears, and give up after --timeout.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { hasLivePoller, type QueueType } from '../client/task-queue-pollers.ts';
import { CONTROL_QUEUE, TRAIN_QUEUES } from '../sweep/queues.ts';
import { stillWaiting } from './views/sweep-standing.ts';

const CHECK_EVERY_MS = 2_000;

// A stored sweep's training queue (its spec's resources.queue).
export function trainQueueOf(spec: unknown): string {
  const queue = (spec as { resources?: { queue?: unknown } } | null)?.resources?.queue;
  return typeof queue === 'string' ? queue : TRAIN_QUEUES[0];
}

// Every worker polls the workflow queue and its own training queue, so the training queue names the
// worker to start whichever of the two is missing.
export function noWorkerMessage(queue: string, trainQueue: string, then = 'still waiting'): string {
  return `no worker is polling task queue ${queue}: start one with phasesweep worker --queue ${trainQueue} (${then})`;
}

export interface SweepQueues {
  // The sweep workflow's queue; CONTROL_QUEUE unless a stored start (a schedule's action) names another.
  workflowQueue?: string;
  trainQueue: string;
}

function queuesToCheck({ workflowQueue = CONTROL_QUEUE, trainQueue }: SweepQueues): [string, QueueType][] {
  return [
    [workflowQueue, 'workflow'],
    [trainQueue, 'activity'],
  ];
}

// Bounded by a deadline so that every check has ended when the wait has: the caller closes the
// connection next, and no call may be in flight then. Undefined when the check failed.
function checkPoller(client: Client, queue: string, type: QueueType): Promise<boolean | undefined> {
  return client
    .withDeadline(Date.now() + CHECK_EVERY_MS, () => hasLivePoller(client, queue, type))
    .catch(() => undefined);
}

// The queues nobody polls right now; a queue whose check fails counts as polled (outages are reported
// elsewhere).
export async function unpolledQueues(client: Client, queues: SweepQueues): Promise<string[]> {
  const checks = await Promise.all(
    queuesToCheck(queues).map(async ([queue, type]) =>
      (await checkPoller(client, queue, type)) === false ? [queue] : [],
    ),
  );
  return checks.flat();
}

// Checks both queues until `settled` settles; a failed check is skipped.
async function reportPollers(client: Client, queues: SweepQueues, settled: Promise<unknown>) {
  const missing = new Set<string>();
  let done = false;
  const ended = settled.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    for (const [queue, type] of queuesToCheck(queues)) {
      const live = await checkPoller(client, queue, type);
      if (done || live === undefined) continue;
      if (!live && !missing.has(queue)) {
        missing.add(queue);
        process.stderr.write(`${noWorkerMessage(queue, queues.trainQueue)}\n`);
      } else if (live && missing.delete(queue)) {
        process.stderr.write(`a worker is polling task queue ${queue} now: going on\n`);
      }
    }
    await Promise.race([ended, sleep(CHECK_EVERY_MS, undefined, { ref: false })]);
  }
}

// The timeout's words for a sweep, read when the wait gives up: queued or running (`storedStatus`, the
// sweep row's; running when it cannot be read), and which of its queues nobody polls then.
export function sweepStillWaiting(
  client: Client,
  queues: SweepQueues,
  sweepId: string,
  storedStatus: () => Promise<string | undefined>,
): () => Promise<string> {
  return async () => {
    const [status, unpolled] = await Promise.all([
      storedStatus().catch(() => undefined),
      unpolledQueues(client, queues),
    ]);
    return stillWaiting(sweepId, status ?? 'running', unpolled);
  };
}

export interface TimeoutOptions {
  // From --timeout: the wait ends with an error (exit 1) after this long.
  timeoutMs?: number;
  timeoutLabel?: string;
  // What is being waited for, for the timeout message; a function words it when the wait gives up,
  // from where the sweep stands then.
  what: string | (() => Promise<string>);
}

// The wait ended by --timeout, not by the sweep: a caller may still report what it knows.
export class WaitTimeoutError extends Error {}

export async function withTimeout<T>(waiting: Promise<T>, opts: TimeoutOptions): Promise<T> {
  if (opts.timeoutMs === undefined) return waiting;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const { what } = opts;
      (typeof what === 'string' ? Promise.resolve(what) : what()).then(
        (text) => reject(new WaitTimeoutError(`gave up after --timeout ${opts.timeoutLabel}: ${text}`)),
        reject,
      );
    }, opts.timeoutMs);
  });
  try {
    return await Promise.race([waiting, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export interface WaitOptions extends SweepQueues, TimeoutOptions {
  client: Client;
}

export async function waitForWorker<T>(waiting: Promise<T>, opts: WaitOptions): Promise<T> {
  const ended = withTimeout(waiting, opts);
  // Awaited before returning: the caller closes the connection next, and no check may be in flight then.
  const reporting = reportPollers(opts.client, opts, ended);
  try {
    return await ended;
  } finally {
    await reporting;
  }
}
