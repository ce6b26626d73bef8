import { Command } from 'commander';
import { createRequire } from 'node:module';
import * as up from './commands/up.ts';
import * as down from './commands/down.ts';
import * as status from './commands/status.ts';
import * as trainCellCmd from './commands/train-cell.ts';
import * as db from './commands/db.ts';
import * as dashboards from './commands/dashboards.ts';
import * as ls from './commands/ls.ts';
import * as show from './commands/show.ts';
import * as boundaries from './commands/boundaries.ts';
import * as plot from './commands/plot.ts';
import * as exportCmd from './commands/export.ts';
import * as drift from './commands/drift.ts';
import * as watch from './commands/watch.ts';
import * as schedule from './commands/schedule.ts';
import * as demo from './commands/demo.ts';
import * as run from './commands/run.ts';
import * as results from './commands/results.ts';
import * as cancel from './commands/cancel.ts';
import * as verify from './commands/verify.ts';
import * as worker from './commands/worker.ts';
import * as commandCheck from './commands/command-check.ts';
import * as logs from './commands/logs.ts';
import * as curves from './commands/curves.ts';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

// Each command lives in cli/commands/<name>.ts and exports `register(program)`; the list below is the
// whole CLI.
const commandModules: { register(program: Command): void }[] = [
  up,
  down,
  status,
  dashboards,
  db,
  ls,
  show,
  boundaries,
  plot,
  exportCmd,
  drift,
  watch,
  schedule,
  demo,
  trainCellCmd,
  run,
  results,
  cancel,
  verify,
  worker,
  commandCheck,
  logs,
  curves,
];

export function buildProgram(): Command {
  const program = new Command('phasesweep')
    .description('Map phase transitions of neural-network training with parameter sweeps on Temporal')
    .version(pkg.version)
    .exitOverride();
  for (const mod of commandModules) mod.register(program);
  pointToHelp(program, program.name());
  return program;
}

// A refused argument is one line naming what is wrong and what is accepted, then where the rest is:
// the whole help printed after it buried that line.
function pointToHelp(cmd: Command, path: string): void {
  cmd.showHelpAfterError(`see: ${path} --help`);
  cmd.configureOutput({ outputError: (text, write) => write(oneLine(text)) });
  for (const sub of cmd.commands) pointToHelp(sub, `${path} ${sub.name()}`);
}

// Commander puts its suggestion for a mistyped name on a line of its own.
const oneLine = (text: string) =>
  text.replace(/\n\((Did you mean [^)]*)\)/, (_m, hint: string) => ` (${hint.toLowerCase()})`);
