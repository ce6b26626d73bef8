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
];

export function buildProgram(): Command {
  const program = new Command('phasesweep')
    .description('Map phase transitions of neural-network training with parameter sweeps on Temporal')
    .version(pkg.version)
    .exitOverride()
    .showHelpAfterError();
  for (const mod of commandModules) mod.register(program);
  return program;
}
