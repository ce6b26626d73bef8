// What every schedule operation needs: a Temporal client for the command's lifetime, and the handle of
// a schedule that exists (with a clear error when it does not, or when Temporal cannot run schedules).
import type { Client, ScheduleHandle } from '@temporalio/client';
import type { Endpoints } from '../infra/local/endpoints.ts';

// Each scheduled run is scheduledSweepWorkflow: an ordinary sweep tagged with the schedule id, then its
// drift against the schedule's previous run (workflows/scheduled-sweep-workflow.ts).
export const SCHEDULED_WORKFLOW_TYPE = 'scheduledSweepWorkflow';

// How `schedule backfill` treats runs that overlap (Temporal's overlap policies, by CLI name).
export const BACKFILL_OVERLAPS = ['skip', 'buffer-all', 'allow-all'] as const;
export type BackfillOverlap = (typeof BACKFILL_OVERLAPS)[number];

const SCHEDULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export class ScheduleInputError extends Error {
  readonly badInput = true;
}

export function checkScheduleName(name: string): string {
  if (!SCHEDULE_ID.test(name)) {
    throw new ScheduleInputError(
      `schedule name '${name}': use letters, digits, '.', '_' and '-' (at most 200, starting with a letter or digit)`,
    );
  }
  return name;
}

// Temporal's client and the endpoints load only when a subcommand runs, so help stays fast.
export async function withTemporal<T>(fn: (client: Client, endpoints: Endpoints) => Promise<T>): Promise<T> {
  const { resolveEndpoints } = await import('../infra/local/endpoints.ts');
  const { connectClient } = await import('./connect.ts');
  const endpoints = await resolveEndpoints();
  const { client, close } = await connectClient(endpoints.temporalAddress, endpoints.namespace);
  try {
    return await fn(client, endpoints);
  } finally {
    await close();
  }
}

export async function existingSchedule(client: Client, name: string): Promise<ScheduleHandle> {
  const { ScheduleNotFoundError } = await import('@temporalio/client');
  const { checkWorkerService, looksLikeMissingWorkerService, workerServiceMissing } =
    await import('./temporal-worker-service.ts');
  const handle = client.schedule.getHandle(checkScheduleName(name));
  // Without Temporal's worker service every call below would hang ~30 s and then fail obscurely.
  const missing = await checkWorkerService(client);
  if (missing) throw new Error(`schedule '${name}': ${missing}`);
  try {
    await handle.describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new ScheduleInputError(`unknown schedule '${name}' (\`phasesweep schedule ls\` lists them)`);
    }
    if (looksLikeMissingWorkerService(err)) {
      throw new Error(
        `schedule '${name}' did not answer (${(err as Error).message}); ${workerServiceMissing(client.options.namespace)}`,
      );
    }
    throw err;
  }
  return handle;
}
