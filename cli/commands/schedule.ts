// `phasesweep schedule …`: the subcommands, their options, and the checks of what a user wrote (before
// anything connects). They act in cli/manage-schedules.ts and cli/trigger-schedule.ts, which talk to
// Temporal through client/schedule-*.ts, loaded only when a subcommand runs, so that help stays fast.
import path from 'node:path';
import { Option, type Command } from 'commander';
import { BACKFILL_OVERLAPS, checkScheduleName, type BackfillOverlap } from '../../client/schedule-session.ts';
import { parseDuration } from '../../sweep/duration.ts';
import type { SweepSpec } from '../../sweep/spec.ts';
import { BadInputError } from '../exit.ts';
import { parsePositiveInt } from '../views/options.ts';

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

function checkDate(option: string, value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new BadInputError(`${option} '${value}': expected an ISO date or time, e.g. 2026-11-20T02:00:00Z`);
  return d;
}

interface CreateOptions {
  cron: string;
  catchupWindow: string;
  paused?: boolean;
  note?: string;
  freshSeeds?: number;
  json?: boolean;
}

// The largest run of a --fresh-seeds schedule (the spec's grid with N seeds) must fit the cell limit now,
// not fail every night.
async function checkFreshSeedsGrid(spec: SweepSpec, freshSeeds: number): Promise<void> {
  const { countCells } = await import('../../sweep/cells.ts');
  const { withFreshSeeds } = await import('../../sweep/fresh-seeds.ts');
  const { gridTooLargeMessage } = await import('../../sweep/limits.ts');
  const { maxCellsSetting } = await import('../../infra/max-cells.ts');
  const cells = countCells(withFreshSeeds(spec, 0, freshSeeds));
  if (cells > maxCellsSetting()) {
    throw new BadInputError(`--fresh-seeds ${freshSeeds}: ${gridTooLargeMessage(cells, maxCellsSetting())}`);
  }
}

async function create(name: string, specPath: string, opts: CreateOptions): Promise<void> {
  checkScheduleName(name);
  const cron = checkCron(opts.cron);
  const catchupWindowMs = parseDuration(opts.catchupWindow, '--catchup-window');
  const { loadSpecFile } = await import('../../infra/spec-file.ts');
  const spec = await loadSpecFile(specPath);
  // A command spec's program must be there and hashable now; each run hashes it again when it starts.
  const { withProgramHash } = await import('../command-program.ts');
  await withProgramHash(spec, specPath);
  if (opts.freshSeeds !== undefined) await checkFreshSeedsGrid(spec, opts.freshSeeds);
  const { createScheduleCommand } = await import('../manage-schedules.ts');
  await createScheduleCommand({
    ...opts,
    name,
    spec,
    specFile: path.resolve(specPath),
    cron,
    catchupWindowMs,
  });
}

async function backfill(name: string, opts: { from: string; to: string; overlap: BackfillOverlap }) {
  const start = checkDate('--from', opts.from);
  const end = checkDate('--to', opts.to);
  if (end <= start) throw new BadInputError(`--to ${opts.to} must be after --from ${opts.from}`);
  const { changeScheduleCommand } = await import('../manage-schedules.ts');
  await changeScheduleCommand(name, { kind: 'backfill', start, end, overlap: opts.overlap });
}

async function trigger(name: string, opts: { wait?: boolean; timeout?: string }): Promise<number> {
  const timeoutMs = opts.timeout === undefined ? undefined : parseDuration(opts.timeout, '--timeout');
  const { triggerScheduleCommand } = await import('../trigger-schedule.ts');
  return triggerScheduleCommand(name, { wait: opts.wait, timeoutMs, timeoutLabel: opts.timeout });
}

async function change(name: string, kind: 'pause' | 'unpause' | 'delete', note?: string): Promise<void> {
  const { changeScheduleCommand } = await import('../manage-schedules.ts');
  await changeScheduleCommand(name, kind === 'delete' ? { kind } : { kind, note });
}

function registerCreate(schedule: Command): void {
  schedule
    .command('create')
    .description('run a sweep spec on a cron schedule (overlapping runs are skipped)')
    .argument('<name>', 'schedule id')
    .argument('<spec>', 'sweep spec file (YAML); its content is captured now')
    .option('--cron <expr>', 'cron expression, UTC', '0 2 * * *')
    .option(
      '--catchup-window <duration>',
      'how late a missed run may still start after downtime (500ms, 30s, 5m, 1h, 1d)',
      '1d',
    )
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
    .action(create);
}

function registerLs(schedule: Command): void {
  schedule
    .command('ls')
    .description('list schedules')
    .option('--json', 'print a JSON array')
    .addHelpText('after', '\nExample:\n  $ phasesweep schedule ls')
    .action(async (opts: { json?: boolean }) => {
      const { listSchedulesCommand } = await import('../manage-schedules.ts');
      await listSchedulesCommand(opts);
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
      const { describeScheduleCommand } = await import('../manage-schedules.ts');
      await describeScheduleCommand(name, opts);
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
    .action((name: string, opts: { note?: string }) => change(name, 'pause', opts.note));
  schedule
    .command('unpause')
    .description('start runs again')
    .argument('<name>', 'schedule id')
    .option('--note <text>', 'why')
    .addHelpText('after', '\nExample:\n  $ phasesweep schedule unpause nightly-6-1')
    .action((name: string, opts: { note?: string }) => change(name, 'unpause', opts.note));
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
    .action(async (name: string, opts: { wait?: boolean; timeout?: string }) => {
      process.exitCode = await trigger(name, opts);
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
    .action(backfill);
  schedule
    .command('delete')
    .description('delete the schedule (its sweeps and results stay)')
    .argument('<name>', 'schedule id')
    .addHelpText('after', '\nExample:\n  $ phasesweep schedule delete nightly-6-1')
    .action((name: string) => change(name, 'delete'));
}
