// A schedule list and a schedule's description as the terminal shows them.
import type { ScheduleState } from '../../client/schedule-describe.ts';
import type { ScheduleSummary } from '../../client/schedule-list.ts';
import type { ScheduleDriftRow } from '../../store/drift.ts';
import type { SweepRow } from '../../store/sweeps.ts';
import { formatDuration } from '../../sweep/duration.ts';
import { driftBrief } from './drift.ts';
import { fmtTime, renderTable } from './table.ts';

export function renderScheduleList(rows: ScheduleSummary[]): string {
  if (rows.length === 0)
    return 'no schedules: create one with `phasesweep schedule create <name> <spec> --cron ...`';
  return renderTable(
    ['SCHEDULE', 'SPEC', 'CRON', 'STATE', 'NEXT RUN', 'LAST RUN'],
    rows.map((r) => [
      r.schedule_id,
      r.spec_name ?? '-',
      r.cron ?? '-',
      r.paused ? 'paused' : 'active',
      fmtTime(r.next_run),
      fmtTime(r.last_run),
    ]),
  );
}

// A schedule beside its recent sweeps (the one counts object, and each sweep's recorded drift).
export interface ScheduleReport extends ScheduleState {
  sweeps: (Pick<SweepRow, 'id' | 'status' | 'created_at' | 'counts'> & {
    drift: ScheduleDriftRow | null;
  })[];
}

export function renderScheduleReport(info: ScheduleReport): string {
  const lines = [
    `schedule  ${info.schedule_id}  (${info.paused ? 'paused' : 'active'})${info.note ? `  note: ${info.note}` : ''}`,
    `spec      ${info.spec_name ?? '-'}  ${info.spec_file ?? ''}`,
    `cron      ${info.cron ?? '-'} (UTC)  overlap ${info.overlap}  catch-up ${formatDuration(info.catchup_window_ms)}`,
    `runs      ${info.actions_taken} taken, ${info.skipped_overlap} skipped (overlap), ${info.missed_catchup} missed`,
    `next      ${info.next_runs.map((t) => fmtTime(t)).join(', ') || '-'}`,
  ];
  if (info.sweeps.length > 0) {
    lines.push(
      '',
      renderTable(
        ['SWEEP', 'STATUS', 'DONE', 'CREATED', 'DRIFT'],
        info.sweeps.map((s) => [
          s.id,
          s.status,
          `${s.counts.done}/${s.counts.total}`,
          fmtTime(s.created_at),
          s.drift ? driftBrief(s.drift) : '-',
        ]),
      ),
    );
  }
  return lines.join('\n');
}
