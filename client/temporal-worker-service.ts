// Temporal's own worker service runs every namespace's system workflows, the scheduler among them: a
// server without it accepts a schedule but cannot describe, trigger or run it, and each such call
// times out only after ~30 s with "Failed to describe schedule". Its workers poll this queue.
import type { Client } from '@temporalio/client';
import { hasLivePoller } from './task-queue-pollers.ts';

const SYSTEM_QUEUE = 'temporal-sys-per-ns-tq';

export function workerServiceMissing(namespace: string): string {
  return `Temporal's worker service is not running: nothing polls its system task queue ${SYSTEM_QUEUE} in namespace '${namespace}', and that service runs schedules. Start it (\`temporal-server start --service worker\`, or the worker service of your deployment); until then schedules cannot be described, triggered or run`;
}

// The message to show when no live worker-service poller is seen, else undefined.
export async function checkWorkerService(client: Client): Promise<string | undefined> {
  const live = await hasLivePoller(client, SYSTEM_QUEUE, 'workflow');
  return live ? undefined : workerServiceMissing(client.options.namespace);
}

// A schedule call that timed out the way it does without the worker service.
export function looksLikeMissingWorkerService(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String(err.cause ?? '')}` : String(err);
  return /Failed to describe schedule|DEADLINE_EXCEEDED|deadline exceeded/i.test(text);
}
