import { Option, type Command } from 'commander';
import { toCsv } from '../views/csv.ts';

export function register(program: Command): void {
  program
    .command('results <sweep>')
    .description('print every cell of a sweep (id or name) with its status and stored metrics')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .action(async (idOrName: string, opts: { format: 'json' | 'csv' }) => {
      const { resolveEndpoints } = await import('../../infra/local/endpoints.ts');
      const { createPool } = await import('../../store/pool.ts');
      const { sweepResults } = await import('../../store/results.ts');
      const { findSweep } = await import('../sweep-lookup.ts');
      const { databaseUrl } = await resolveEndpoints();
      const pool = createPool(databaseUrl, { max: 2 });
      try {
        const sweep = await findSweep(pool, idOrName);
        const rows = await sweepResults(pool, sweep.id);
        process.stdout.write(opts.format === 'csv' ? toCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`);
      } finally {
        await pool.end();
      }
    });
}
