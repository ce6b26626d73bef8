import type { Command } from 'commander';
import { listSweeps } from '../../store/sweeps.ts';
import { fmtTime, renderTable } from '../views/table.ts';
import { parsePositiveInt } from '../views/options.ts';
import { cellsText } from '../views/sweep-standing.ts';

export function register(program: Command): void {
  program
    .command('ls')
    .description('list sweeps, newest first, with status and cell counts')
    .option('--limit <n>', 'how many sweeps', parsePositiveInt, 50)
    .option('--schedule <id>', 'only the runs of this schedule')
    .option('--json', 'print a JSON array')
    .addHelpText(
      'after',
      '\nExample:\n  $ phasesweep ls --limit 10\n  $ phasesweep ls --schedule nightly-6-1 --json',
    )
    .action(async (opts: { limit: number; schedule?: string; json?: boolean }) => {
      const { withStore } = await import('../store-session.ts');
      const sweeps = await withStore((pool) =>
        listSweeps(pool, { limit: opts.limit, scheduleId: opts.schedule }),
      );
      // No sweep names it: a schedule that has not run yet, or a typo. Temporal tells them apart.
      if (opts.schedule !== undefined && sweeps.length === 0) {
        const { scheduleExists } = await import('../../client/known-schedule.ts');
        if ((await scheduleExists(opts.schedule)) === false) {
          const { BadInputError } = await import('../exit.ts');
          throw new BadInputError(
            `--schedule ${opts.schedule}: unknown schedule: no schedule has that id and no stored sweep came from one (\`phasesweep schedule ls\` lists them)`,
          );
        }
      }
      if (opts.json) {
        console.log(JSON.stringify(sweeps, null, 2));
        return;
      }
      if (sweeps.length === 0) {
        console.log(
          opts.schedule === undefined
            ? 'no sweeps yet: start one with `phasesweep run <spec.yaml> --watch`'
            : `no sweeps of schedule ${opts.schedule} yet`,
        );
        return;
      }
      const rows = sweeps.map((s) => {
        const cells = cellsText(s);
        return [
          s.id,
          s.name,
          s.status,
          cells.done,
          cells.cached,
          cells.failed,
          fmtTime(s.created_at),
          s.schedule_id ?? '-',
        ];
      });
      console.log(
        renderTable(['ID', 'NAME', 'STATUS', 'DONE', 'CACHED', 'FAILED', 'CREATED', 'SCHEDULE'], rows),
      );
    });
}
