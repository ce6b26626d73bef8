// `phasesweep schedule …`: the subcommands and their options. Each acts in its cli/schedule-*.ts module,
// loaded only when it runs, so that help stays fast.
import { Option, type Command } from 'commander';
import type { BackfillOptions } from '../schedule-control.ts';
import type { CreateScheduleOptions } from '../schedule-create.ts';
import { BACKFILL_OVERLAPS } from '../schedule-session.ts';
import { parsePositiveInt } from '../views/options.ts';
import type { TriggerOptions } from '../schedule-trigger.ts';

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
    .option(
      '--fresh-seeds <count>',
      'each run after the first trains this many new seeds per grid point',
      parsePositiveInt,
    )
    .option('--json', 'print a JSON object')
    .addHelpText(
      'after',
      "\nExample:\n  $ phasesweep schedule create nightly-6-1 examples/default.yaml --cron '0 2 * * *' --catchup-window '6h'\n\nScheduled runs need a worker: `phasesweep worker` (or a cluster of them).",
    )
    .action(async (name: string, specPath: string, opts: CreateScheduleOptions) => {
      const { createScheduleCommand } = await import('../schedule-create.ts');
      await createScheduleCommand(name, specPath, opts);
    });
}

function registerLs(schedule: Command): void {
  schedule
    .command('ls')
    .description('list schedules')
    .option('--json', 'print a JSON array')
    .addHelpText('after', '\nExample:\n  $ phasesweep schedule ls')
    .action(async (opts: { json?: boolean }) => {
      const { listSchedules } = await import('../schedule-list.ts');
      await listSchedules(opts);
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
      const { describeSchedule } = await import('../schedule-describe.ts');
      await describeSchedule(name, opts);
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
    .action(async (name: string, opts: { note?: string }) => {
      const { pauseSchedule } = await import('../schedule-control.ts');
      await pauseSchedule(name, opts.note);
    });
  schedule
    .command('unpause')
    .description('start runs again')
    .argument('<name>', 'schedule id')
    .option('--note <text>', 'why')
    .addHelpText('after', '\nExample:\n  $ phasesweep schedule unpause nightly-6-1')
    .action(async (name: string, opts: { note?: string }) => {
      const { unpauseSchedule } = await import('../schedule-control.ts');
      await unpauseSchedule(name, opts.note);
    });
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
        .choices(BACKFILL_OVERLAPS)
        .default('buffer-all'),
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ phasesweep schedule backfill nightly-6-1 --from 2026-11-20T00:00:00Z --to 2026-11-23T00:00:00Z',
    )
    .action(async (name: string, opts: BackfillOptions) => {
      const { backfillSchedule } = await import('../schedule-control.ts');
      await backfillSchedule(name, opts);
    });
  schedule
    .command('delete')
    .description('delete the schedule (its sweeps and results stay)')
    .argument('<name>', 'schedule id')
    .addHelpText('after', '\nExample:\n  $ phasesweep schedule delete nightly-6-1')
    .action(async (name: string) => {
      const { deleteSchedule } = await import('../schedule-control.ts');
      await deleteSchedule(name);
    });
}
