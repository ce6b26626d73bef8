import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import type pg from 'pg';
import { toCsv } from '../views/csv.ts';
import { rowChunks } from '../views/row-chunks.ts';

type Format = 'csv' | 'json';

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
        await withStore(async (pool) => {
          const sweep = await requireSweep(pool, idOrName);
          const chunks = opts.boundaries
            ? [await boundariesText(pool, sweep.id, opts.format)]
            : await cellChunks(pool, sweep.id, opts.format);
          if (!opts.out) {
            for await (const chunk of chunks) process.stdout.write(chunk);
            return;
          }
          // The file is written whole once every page is read: never a half export under its name.
          let text = '';
          for await (const chunk of chunks) text += chunk;
          await writeFile(opts.out, text);
        });
      },
    );
}

async function boundariesText(pool: pg.Pool, sweepId: string, format: Format): Promise<string> {
  const { sweepBoundaries } = await import('../../store/boundaries.ts');
  const { boundariesJson } = await import('../views/boundaries.ts');
  const rows = boundariesJson(await sweepBoundaries(pool, sweepId)).map((row) => ({
    sweep_id: sweepId,
    ...row,
  }));
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  // CSV has no pairs: each [low, high] becomes two columns where the pair stood.
  const flat = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).flatMap(([key, value]): [string, unknown][] =>
        key === 'ci95' || key === 'grid_bracket'
          ? [
              [`${key}_low`, (value as [number, number] | null)?.[0]],
              [`${key}_high`, (value as [number, number] | null)?.[1]],
            ]
          : [[key, value]],
      ),
    ),
  );
  return toCsv(flat);
}

// The sweep's cells, each row led by the sweep id, a page at a time.
async function cellChunks(pool: pg.Pool, sweepId: string, format: Format): Promise<AsyncIterable<string>> {
  const { sweepResultPages } = await import('../../store/results.ts');
  async function* withSweepId() {
    for await (const page of sweepResultPages(pool, sweepId)) {
      yield page.map((row) => ({ sweep_id: sweepId, ...row }));
    }
  }
  return rowChunks(withSweepId(), format);
}
