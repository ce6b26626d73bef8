// The one home for "who polls a task queue": Temporal's describeTaskQueue, counting only pollers seen
// recently (the server remembers pollers that are gone for minutes).
import type { Client } from '@temporalio/client';

// temporal.api.enums.v1.TaskQueueType
export const QUEUE_TYPES = { workflow: 1, activity: 2 } as const;
export type QueueType = keyof typeof QUEUE_TYPES;

// A live poller is back within a long poll (about a minute).
const LIVE_POLLER_MS = 2 * 60_000;

export async function hasLivePoller(client: Client, queue: string, type: QueueType): Promise<boolean> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: queue },
    taskQueueType: QUEUE_TYPES[type],
  });
  const now = Date.now();
  return (pollers ?? []).some((p) => now - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < LIVE_POLLER_MS);
}
