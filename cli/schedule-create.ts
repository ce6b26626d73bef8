// `schedule create`: the checks that need no Temporal first, then the schedule, then (never failing
// the command, since the schedule exists by then) its next run time.
import path from 'node:path';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { msToNumber } from '@temporalio/common/lib/time.js';
import { CONTROL_QUEUE } from '../sweep/queues.ts';
import { loadSpecFile, type SweepSpec } from '../sweep/spec.ts';
import { countCells } from '../sweep/cells.ts';
import { withFreshSeeds } from '../sweep/fresh-seeds.ts';
import { gridTooLargeMessage, resolveMaxCells } from '../sweep/limits.ts';
import {
  checkWorkerService,
  looksLikeMissingWorkerService,
  workerServiceMissing,
} from '../client/temporal-worker-service.ts';
import type { ScheduledSweepInput } from '../workflows/scheduled-sweep-workflow.ts';
import { BadInputError } from './exit.ts';
import { checkScheduleName, SCHEDULED_WORKFLOW_TYPE, withTemporal } from './schedule-session.ts';
import { fmtTime } from './views/table.ts';

const CRON_FIELDS = 5;

function checkCron(cron: string): string {
  // Temporal also accepts @daily-style macros; the five-field form is checked here so a typo fails now,
  // not silently never fires.
  if (!cron.startsWith('@') && cron.trim().split(/\s+/).length !== CRON_FIELDS) {
    throw new BadInputError(
      `--cron '${cron}': expected five fields (minute hour day-of-month month day-of-week), e.g. '0 2 * * *'`,
    );
  }
  return cron;
}

function checkDuration(option: string, value: string): string {
  try {
    if (msToNumber(value as Parameters<typeof msToNumber>[0]) > 0) return value;
  } catch {
    // reported below
  }
  throw new BadInputError(`${option} '${value}': expected a duration such as '1 day', '12h' or '30m'`);
}

export interface CreateScheduleOptions {
  cron: string;
  catchupWindow: string;
  paused?: boolean;
  note?: string;
  freshSeeds?: number;
  json?: boolean;
}

async function createSchedule(
  client: Client,
  name: string,
  spec: SweepSpec,
  specPath: string,
  opts: CreateScheduleOptions,
): Promise<void> {
  const input: ScheduledSweepInput = { spec, scheduleId: name, freshSeeds: opts.freshSeeds };
  try {
    await client.schedule.create({
      scheduleId: name,
      spec: { cronExpressions: [opts.cron] },
      action: {
        type: 'startWorkflow',
        workflowType: SCHEDULED_WORKFLOW_TYPE,
        taskQueue: CONTROL_QUEUE,
        workflowId: `schedule-${name}`,
        args: [input],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: opts.catchupWindow },
      state: { paused: opts.paused ?? false, note: opts.note },
      memo: { cron: opts.cron, spec_name: spec.name, spec_file: path.resolve(specPath) },
    });
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) {
      throw new BadInputError(`schedule '${name}' already exists (delete it first, or pick another name)`);
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

export async function createScheduleCommand(
  name: string,
  specPath: string,
  opts: CreateScheduleOptions,
): Promise<void> {
  checkScheduleName(name);
  checkCron(opts.cron);
  checkDuration('--catchup-window', opts.catchupWindow);
  const spec = await loadSpecFile(specPath);
  const cells = opts.freshSeeds ? countCells(withFreshSeeds(spec, 0, opts.freshSeeds)) : 0;
  if (cells > resolveMaxCells()) {
    throw new BadInputError(
      `--fresh-seeds ${opts.freshSeeds}: ${gridTooLargeMessage(cells, resolveMaxCells())}`,
    );
  }
  await withTemporal(async (client) => {
    await createSchedule(client, name, spec, specPath, opts);
    // The schedule exists from here on: what follows may warn, never fail the command.
    const { next, warning } = await nextRun(client, name);
    if (opts.json) {
      console.log(
        JSON.stringify({
          schedule_id: name,
          spec_name: spec.name,
          cron: opts.cron,
          next_run: next ?? null,
          ...(warning ? { warning } : {}),
        }),
      );
    } else {
      console.log(
        `schedule ${name} created: sweep '${spec.name}' at '${opts.cron}' (UTC), overlap skip, catch-up ${opts.catchupWindow}`,
      );
      console.log(`next run ${fmtTime(next)}; runs need a worker (\`phasesweep worker\`)`);
    }
    if (warning) console.error(`warning: schedule ${name} was created, but ${warning}`);
  });
}
