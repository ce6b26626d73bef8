// This project's schedules (those that start scheduled sweeps), by id.
import type { Client } from '@temporalio/client';
import { SCHEDULED_WORKFLOW_TYPE } from './schedule-session.ts';

export interface ScheduleSummary {
  schedule_id: string;
  cron: string | null;
  spec_name: string | null;
  paused: boolean;
  next_run: Date | null;
  last_run: Date | null;
}

export async function listSchedules(client: Client): Promise<ScheduleSummary[]> {
  const rows: ScheduleSummary[] = [];
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
  return rows.sort((a, b) => a.schedule_id.localeCompare(b.schedule_id));
}
