// `schedule describe`: Temporal's view of a schedule beside the store's view of its recent sweeps (the
// one counts object, and each sweep's recorded drift).
import { scheduleDrift } from '../store/drift.ts';
import { driftBrief } from './views/drift.ts';
import { listSweeps } from '../store/sweeps.ts';
import { existingSchedule, withTemporal } from './schedule-session.ts';
import { withStore } from './store-session.ts';
import { fmtTime, renderTable } from './views/table.ts';

export async function describeSchedule(name: string, opts: { json?: boolean }): Promise<void> {
  await withTemporal(async (client, { databaseUrl }) => {
    const d = await (await existingSchedule(client, name)).describe();
    const [sweeps, drift] = await withStore(
      (pool) => Promise.all([listSweeps(pool, { scheduleId: name, limit: 10 }), scheduleDrift(pool, name)]),
      databaseUrl,
    );
    const driftOf = new Map(drift.map((r) => [r.sweep_id, r]));
    const info = {
      schedule_id: name,
      cron: d.memo?.cron ?? null,
      spec_name: d.memo?.spec_name ?? null,
      spec_file: d.memo?.spec_file ?? null,
      paused: d.state.paused,
      note: d.state.note ?? null,
      overlap: d.policies.overlap,
      catchup_window_ms: d.policies.catchupWindow,
      actions_taken: d.info.numActionsTaken,
      skipped_overlap: d.info.numActionsSkippedOverlap,
      missed_catchup: d.info.numActionsMissedCatchupWindow,
      running: d.info.runningActions.map((a) => a.workflow.workflowId),
      next_runs: d.info.nextActionTimes.slice(0, 3),
      sweeps: sweeps.map((s) => ({
        id: s.id,
        status: s.status,
        created_at: s.created_at,
        counts: s.counts,
        drift: driftOf.get(s.id) ?? null,
      })),
    };
    if (opts.json) {
      console.log(JSON.stringify(info, null, 2));
      return;
    }
    console.log(
      `schedule  ${name}  (${info.paused ? 'paused' : 'active'})${info.note ? `  note: ${info.note}` : ''}`,
    );
    console.log(`spec      ${info.spec_name ?? '-'}  ${info.spec_file ?? ''}`);
    console.log(
      `cron      ${info.cron ?? '-'} (UTC)  overlap ${info.overlap}  catch-up ${Math.round(info.catchup_window_ms / 60000)} min`,
    );
    console.log(
      `runs      ${info.actions_taken} taken, ${info.skipped_overlap} skipped (overlap), ${info.missed_catchup} missed`,
    );
    console.log(`next      ${info.next_runs.map((t) => fmtTime(t)).join(', ') || '-'}`);
    if (info.sweeps.length > 0) {
      console.log('');
      console.log(
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
  });
}
