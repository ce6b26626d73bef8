import { Option, type Command } from 'commander';
import { rowChunks } from '../views/row-chunks.ts';

export function register(program: Command): void {
  program
    .command('results <sweep>')
    .description(
      'print every cell of a sweep (id or name) with its status and stored metrics, as JSON by default. ' +
        '`export` gives the same cells with the sweep id in each row, as CSV by default, and can write a file',
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ phasesweep results default-supervised-phase-diagram | jq \'.[] | select(.status == "failed")\'',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .action(async (idOrName: string, opts: { format: 'json' | 'csv' }) => {
      const { sweepResultPages } = await import('../../store/results.ts');
      const { requireSweep, withStore } = await import('../store-session.ts');
      await withStore(async (pool) => {
        const pages = sweepResultPages(pool, (await requireSweep(pool, idOrName)).id);
        for await (const chunk of rowChunks(pages, opts.format)) process.stdout.write(chunk);
      });
    });
}
