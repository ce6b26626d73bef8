import path from 'node:path';
import { Option, type Command } from 'commander';
import type { Client, ScheduleHandle } from '@temporalio/client';
import { listSweeps } from '../../store/sweeps.ts';
import type { ScheduledSweepInput } from '../../workflows/scheduled-sweep-workflow.ts';
import type { TriggerOptions } from '../schedule-trigger.ts';
import { BadInputError } from '../exit.ts';
import { checkScheduleName, existingSchedule, withTemporal } from '../schedule-session.ts';
import { fmtTime, renderTable } from '../views/table.ts';

// Each scheduled run is scheduledSweepWorkflow: an ordinary sweep tagged with the schedule id, then its
// drift against the schedule's previous run (workflows/scheduled-sweep-workflow.ts).
const WORKFLOW_TYPE = 'scheduledSweepWorkflow';
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

async function checkDuration(option: string, value: string): Promise<string> {
  const { msToNumber } = await import('@temporalio/common/lib/time.js');
  try {
    if (msToNumber(value as Parameters<typeof msToNumber>[0]) > 0) return value;
  } catch {
    // reported below
  }
  throw new BadInputError(`${option} '${value}': expected a duration such as '1 day', '12h' or '30m'`);
}

function checkDate(option: string, value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new BadInputError(`${option} '${value}': expected an ISO date or time, e.g. 2026-11-20T02:00:00Z`);
  return d;
}

/** Runs an action on an existing schedule and says what happened. */
function simpleAction(verb: string, act: (h: ScheduleHandle, opts: Record<string, string>) => Promise<void>) {
  return async (name: string, opts: Record<string, string>) => {
    await withTemporal(async (client) => act(await existingSchedule(client, name), opts));
    console.log(`schedule ${name}: ${verb}`);
  };
}

export interface CreateScheduleOptions {
  cron: string;
  catchupWindow: string;
  paused?: boolean;
  note?: string;
}

export async function createSchedule(
  client: Client,
  name: string,
  specPath: string,
  opts: CreateScheduleOptions,
) {
  const { ScheduleAlreadyRunning, ScheduleOverlapPolicy } = await import('@temporalio/client');
  const { loadSpecFile } = await import('../../sweep/spec.ts');
  const { CONTROL_QUEUE } = await import('../../sweep/queues.ts');
  const spec = await loadSpecFile(specPath);
  const input: ScheduledSweepInput = { spec, scheduleId: name };
  try {
    await client.schedule.create({
      scheduleId: name,
      spec: { cronExpressions: [opts.cron] },
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPE,
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
  return spec;
}

// The next run time of a schedule just created, or why it cannot be known (never an error: the
// schedule exists).
async function nextRun(client: Client, name: string): Promise<{ next?: Date; warning?: string }> {
  const { checkWorkerService, looksLikeMissingWorkerService, workerServiceMissing } =
    await import('../../client/temporal-worker-service.ts');
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

function registerCreate(schedule: Command): void {
  schedule
    .command('create')
    .description('run a sweep spec on a cron schedule (overlapping runs are skipped)')
    .argument('<name>', 'schedule id')
    .argument('<spec>', 'sweep spec file (YAML); its content is captured now')
    .option('--cron <expr>', 'cron expression, UTC', '0 2 * * *')
    .option('--catchup-window <duration>', 'how late a missed run may still start (after downtime)', '1 day')
    .option('--paused', 'create it paused')
    .option('--note <text>', 'a note shown by describe')
    .option('--json', 'print a JSON object')
    .addHelpText(
      'after',
      "\nExample:\n  $ phasesweep schedule create nightly-6-1 examples/default.yaml --cron '0 2 * * *' --catchup-window '6h'\n\nScheduled runs need a worker: `phasesweep worker` (or a cluster of them).",
    )
    .action(async (name: string, specPath: string, opts: CreateScheduleOptions & { json?: boolean }) => {
      checkScheduleName(name);
      checkCron(opts.cron);
      await checkDuration('--catchup-window', opts.catchupWindow);
      const { loadSpecFile } = await import('../../sweep/spec.ts');
      await loadSpecFile(specPath);
      await withTemporal(async (client) => {
        const spec = await createSchedule(client, name, specPath, opts);
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
    });
}

function registerLs(schedule: Command): void {
  schedule
    .command('ls')
    .description('list schedules')
    .option('--json', 'print a JSON array')
    .addHelpText('after', '\nExample:\n  $ phasesweep schedule ls')
    .action(async (opts: { json?: boolean }) => {
      await withTemporal(async (client) => {
        const rows: Record<string, unknown>[] = [];
        for await (const s of client.schedule.list()) {
          if (s.action?.workflowType !== WORKFLOW_TYPE) continue;
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
    });
}

function registerDescribe(schedule: Command): void {
  schedule
    .command('describe')
    .description("a schedule's settings, next runs, and its recent sweeps with their drift")
    .argument('<name>', 'schedule id')
    .option('--json', 'print a JSON object')
    .addHelpText('after', '\nExample:\n  $ phasesweep schedule describe nightly-6-1')
    .action(async (name: string, opts: { json?: boolean }) => {
      await withTemporal(async (client, { databaseUrl }) => {
        const d = await (await existingSchedule(client, name)).describe();
        const { scheduleDrift } = await import('../../store/drift.ts');
        const { withStore } = await import('../store-session.ts');
        const [sweeps, drift] = await withStore(
          (pool) =>
            Promise.all([listSweeps(pool, { scheduleId: name, limit: 10 }), scheduleDrift(pool, name)]),
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
                s.drift ? `${s.drift.moved}/${s.drift.compared} moved vs ${s.drift.baseline_sweep_id}` : '-',
              ]),
            ),
          );
        }
      });
    });
}

export function register(program: Command): void {
  const schedule = program
    .command('schedule')
    .description(
      'nightly (cron) sweeps on Temporal Schedules: create, ls, describe, pause, unpause, trigger, backfill, delete',
    )
    .addHelpText(
      'after',
      "\nExample:\n  $ phasesweep schedule create nightly-6-1 examples/default.yaml --cron '0 2 * * *'\n  $ phasesweep schedule trigger nightly-6-1\n  $ phasesweep schedule describe nightly-6-1",
    );
  registerCreate(schedule);
  registerLs(schedule);
  registerDescribe(schedule);
  schedule
    .command('pause')
    .description('stop starting runs (a running one goes on)')
    .argument('<name>', 'schedule id')
    .option('--note <text>', 'why')
    .addHelpText(
      'after',
      "\nExample:\n  $ phasesweep schedule pause nightly-6-1 --note 'cluster maintenance'",
    )
    .action(simpleAction('paused', (h, o) => h.pause(o.note)));
  schedule
    .command('unpause')
    .description('start runs again')
    .argument('<name>', 'schedule id')
    .option('--note <text>', 'why')
    .addHelpText('after', '\nExample:\n  $ phasesweep schedule unpause nightly-6-1')
    .action(simpleAction('unpaused', (h, o) => h.unpause(o.note)));
  schedule
    .command('trigger')
    .description(
      'start a run now (skipped if one is still running); says when no worker polls its task queues',
    )
    .argument('<name>', 'schedule id')
    .option('--wait', 'wait for the run (or the one still running) to end; exit 0 only if it completed')
    .option('--timeout <duration>', 'stop waiting after this long (e.g. 30s, 5m), exit 1; implies --wait')
    .addHelpText(
      'after',
      '\nExamples:\n  $ phasesweep schedule trigger nightly-6-1\n  $ phasesweep schedule trigger nightly-6-1 --wait --timeout 30m',
    )
    .action(async (name: string, opts: TriggerOptions) => {
      const { triggerSchedule } = await import('../schedule-trigger.ts');
      process.exitCode = await triggerSchedule(name, opts);
    });
  schedule
    .command('backfill')
    .description('run the schedule for the times it would have fired in a past interval (one at a time)')
    .argument('<name>', 'schedule id')
    .requiredOption('--from <time>', 'interval start, ISO time')
    .requiredOption('--to <time>', 'interval end, ISO time')
    .addOption(
      new Option('--overlap <policy>', 'what to do when runs overlap')
        .choices(['skip', 'buffer-all', 'allow-all'])
        .default('buffer-all'),
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ phasesweep schedule backfill nightly-6-1 --from 2026-11-20T00:00:00Z --to 2026-11-23T00:00:00Z',
    )
    .action(
      simpleAction('backfill requested', async (h, o) => {
        const { ScheduleOverlapPolicy } = await import('@temporalio/client');
        const start = checkDate('--from', o.from!);
        const end = checkDate('--to', o.to!);
        if (end <= start) throw new BadInputError(`--to ${o.to} must be after --from ${o.from}`);
        const overlap = {
          skip: ScheduleOverlapPolicy.SKIP,
          'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
          'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
        }[o.overlap as 'skip' | 'buffer-all' | 'allow-all'];
        await h.backfill({ start, end, overlap });
      }),
    );
  schedule
    .command('delete')
    .description('delete the schedule (its sweeps and results stay)')
    .argument('<name>', 'schedule id')
    .addHelpText('after', '\nExample:\n  $ phasesweep schedule delete nightly-6-1')
    .action(simpleAction('deleted', (h) => h.delete()));
}
