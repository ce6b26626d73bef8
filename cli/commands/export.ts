import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { toCsv } from '../views/csv.ts';

export function register(program: Command): void {
  program
    .command('export')
    .description('every cell of a sweep: grid coordinates, seed, status and metrics, as CSV or JSON')
    .argument('<sweep>', 'sweep id, or a name (its most recent sweep)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('--out <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      '\nExample:\n  $ phasesweep export supervised-phase-diagram --format csv --out cells.csv\n  $ phasesweep export supervised-phase-diagram --format json | jq length',
    )
    .action(async (idOrName: string, opts: { format: 'csv' | 'json'; out?: string }) => {
      const { requireSweep, withStore } = await import('../store-session.ts');
      const { sweepResults } = await import('../../store/results.ts');
      const text = await withStore(async (pool) => {
        const sweep = await requireSweep(pool, idOrName);
        const rows = await sweepResults(pool, sweep.id);
        const withSweep = rows.map((row) => ({ sweep_id: sweep.id, ...row }));
        return opts.format === 'json' ? `${JSON.stringify(withSweep, null, 2)}\n` : toCsv(withSweep);
      });
      if (opts.out) await writeFile(opts.out, text);
      else process.stdout.write(text);
    });
}
