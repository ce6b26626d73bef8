import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { toCsv } from '../views/csv.ts';

export function register(program: Command): void {
  program
    .command('export')
    .description(
      'every cell of a sweep: grid coordinates, seed, status and metrics, as CSV or JSON, to standard ' +
        'output or a file (--out); the way to get results out. `results` prints the same cells as JSON',
    )
    .argument('<sweep>', 'sweep id, or a name (its most recent sweep)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--boundaries', 'the boundaries refine: found, one row per group, instead of the cells')
    .addHelpText(
      'after',
      '\nExample:\n  $ phasesweep export supervised-phase-diagram --format csv --out cells.csv\n  $ phasesweep export supervised-phase-diagram --format json | jq length\n  $ phasesweep export refine-supervised --boundaries --format csv',
    )
    .action(
      async (idOrName: string, opts: { format: 'csv' | 'json'; out?: string; boundaries?: boolean }) => {
        const { requireSweep, withStore } = await import('../store-session.ts');
        const { sweepResults } = await import('../../store/results.ts');
        const text = await withStore(async (pool) => {
          const sweep = await requireSweep(pool, idOrName);
          if (opts.boundaries) {
            const { sweepBoundaries } = await import('../../store/boundaries.ts');
            const { boundariesJson } = await import('../views/boundaries.ts');
            const rows = boundariesJson(await sweepBoundaries(pool, sweep.id)).map((row) => ({
              sweep_id: sweep.id,
              ...row,
            }));
            if (opts.format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
            return toCsv(
              rows.map(({ bracket, ...row }) => ({
                ...row,
                bracket_low: bracket?.[0],
                bracket_high: bracket?.[1],
              })),
            );
          }
          const rows = await sweepResults(pool, sweep.id);
          const withSweep = rows.map((row) => ({ sweep_id: sweep.id, ...row }));
          return opts.format === 'json' ? `${JSON.stringify(withSweep, null, 2)}\n` : toCsv(withSweep);
        });
        if (opts.out) await writeFile(opts.out, text);
        else process.stdout.write(text);
      },
    );
}
