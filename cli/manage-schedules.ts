// The schedule subcommands but trigger: each asks client/ (Temporal) and, for describe, the store, then
// prints.
import { createSchedule, type NewSchedule } from '../client/schedule-create.ts';
import { changeSchedule, type ScheduleChange } from '../client/schedule-control.ts';
import { describeSchedule } from '../client/schedule-describe.ts';
import { listSchedules } from '../client/schedule-list.ts';
import { withTemporal } from '../client/schedule-session.ts';
import { scheduleDrift } from '../store/drift.ts';
import { listSweeps } from '../store/sweeps.ts';
import { formatDuration } from '../sweep/duration.ts';
import { withStore } from './store-session.ts';
import { renderScheduleList, renderScheduleReport, type ScheduleReport } from './views/schedules.ts';
import { fmtTime } from './views/table.ts';

export interface CreateRequest extends NewSchedule {
  json?: boolean;
}

export async function createScheduleCommand(req: CreateRequest): Promise<void> {
  await withTemporal(async (client) => {
    // The schedule exists once this returns: what follows may warn, never fail the command.
    const { next, warning } = await createSchedule(client, req);
    if (req.json) {
      console.log(
        JSON.stringify({
          schedule_id: req.name,
          spec_name: req.spec.name,
          cron: req.cron,
          next_run: next ?? null,
          ...(warning ? { warning } : {}),
        }),
      );
    } else {
      console.log(
        `schedule ${req.name} created: sweep '${req.spec.name}' at '${req.cron}' (UTC), overlap skip, catch-up ${formatDuration(req.catchupWindowMs)}`,
      );
      console.log(`next run ${fmtTime(next)}; runs need a worker (\`phasesweep worker\`)`);
    }
    if (warning) console.error(`warning: schedule ${req.name} was created, but ${warning}`);
  });
}

export async function listSchedulesCommand(opts: { json?: boolean }): Promise<void> {
  const rows = await withTemporal((client) => listSchedules(client));
  console.log(opts.json ? JSON.stringify(rows, null, 2) : renderScheduleList(rows));
}

export async function describeScheduleCommand(name: string, opts: { json?: boolean }): Promise<void> {
  await withTemporal(async (client, { databaseUrl }) => {
    const state = await describeSchedule(client, name);
    const [sweeps, drift] = await withStore(
      (pool) => Promise.all([listSweeps(pool, { scheduleId: name, limit: 10 }), scheduleDrift(pool, name)]),
      databaseUrl,
    );
    const driftOf = new Map(drift.map((r) => [r.sweep_id, r]));
    const report: ScheduleReport = {
      ...state,
      sweeps: sweeps.map((s) => ({
        id: s.id,
        status: s.status,
        created_at: s.created_at,
        counts: s.counts,
        drift: driftOf.get(s.id) ?? null,
      })),
    };
    console.log(opts.json ? JSON.stringify(report, null, 2) : renderScheduleReport(report));
  });
}

const DONE: Record<ScheduleChange['kind'], string> = {
  pause: 'paused',
  unpause: 'unpaused',
  delete: 'deleted',
  backfill: 'backfill requested',
};

export async function changeScheduleCommand(name: string, change: ScheduleChange): Promise<void> {
  await withTemporal((client) => changeSchedule(client, name, change));
  console.log(`schedule ${name}: ${DONE[change.kind]}`);
}
