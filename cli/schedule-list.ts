// `schedule ls`: this project's schedules (those that start scheduled sweeps), by id.
import { SCHEDULED_WORKFLOW_TYPE, withTemporal } from './schedule-session.ts';
import { fmtTime, renderTable } from './views/table.ts';

export async function listSchedules(opts: { json?: boolean }): Promise<void> {
  await withTemporal(async (client) => {
    const rows: Record<string, unknown>[] = [];
    for await (const s of client.schedule.list()) {
      if (s.action?.workflowType !== SCHEDULED_WORKFLOW_TYPE) continue;
      rows.push({
        schedule_id: s.scheduleId,
        cron: (s.memo?.cron as string | undefined) ?? null,
        spec_name: (s.memo?.spec_name as string | undefined) ?? null,
        paused: s.state.paused,
        next_run: s.info.nextActionTimes[0] ?? null,
        last_run: s.info.recentActions.at(-1)?.takenAt ?? null,
      });
    }
    rows.sort((a, b) => String(a.schedule_id).localeCompare(String(b.schedule_id)));
    if (opts.json) {
      console.log(JSON.stringify(rows, null, 2));
    } else if (rows.length === 0) {
      console.log('no schedules: create one with `phasesweep schedule create <name> <spec> --cron ...`');
    } else {
      console.log(
        renderTable(
          ['SCHEDULE', 'SPEC', 'CRON', 'STATE', 'NEXT RUN', 'LAST RUN'],
          rows.map((r) => [
            String(r.schedule_id),
            String(r.spec_name ?? '-'),
            String(r.cron ?? '-'),
            r.paused ? 'paused' : 'active',
            fmtTime(r.next_run as Date | null),
            fmtTime(r.last_run as Date | null),
          ]),
        ),
      );
    }
  });
}
