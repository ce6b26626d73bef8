import { Option, type Command } from 'commander';
import type pg from 'pg';
import type { SweepRow } from '../../store/sweeps.ts';
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
        const { writeOutputFile } = await import('../write-output.ts');
        await withStore(async (pool) => {
          const sweep = await requireSweep(pool, idOrName);
          const rows = { n: 0 };
          const chunks = opts.boundaries
            ? [await boundariesText(pool, sweep, opts.format, rows)]
            : await cellChunks(pool, sweep.id, opts.format, rows);
          if (!opts.out) {
            for await (const chunk of chunks) process.stdout.write(chunk);
            return;
          }
          // The file is written whole once every page is read: never a half export under its name.
          let text = '';
          for await (const chunk of chunks) text += chunk;
          await writeOutputFile(opts.out, text);
          // On stderr, as the other commands that write files say it: stdout stays empty.
          process.stderr.write(`wrote ${rows.n} rows to ${opts.out}\n`);
        });
      },
    );
}

async function boundariesText(
  pool: pg.Pool,
  sweep: SweepRow,
  format: Format,
  count: { n: number },
): Promise<string> {
  const { sweepBoundaries } = await import('../../store/boundaries.ts');
  const { BOUNDARY_CSV_COLUMNS, boundariesCsvRows, boundariesJson } = await import('../views/boundaries.ts');
  const rows = boundariesJson(await sweepBoundaries(pool, sweep.id)).map((row) => ({
    sweep_id: sweep.id,
    ...row,
  }));
  count.n = rows.length;
  if (rows.length === 0) {
    const refined = (sweep.spec as { refine?: unknown } | null)?.refine !== undefined;
    process.stderr.write(
      refined
        ? `sweep ${sweep.id} has no boundaries yet: its first refine round has not ended\n`
        : `sweep ${sweep.id} has no boundaries: its spec has no \`refine:\` section\n`,
    );
  }
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  return rows.length === 0
    ? toCsv([], ['sweep_id', ...BOUNDARY_CSV_COLUMNS])
    : toCsv(boundariesCsvRows(rows));
}

// The sweep's cells, each row led by the sweep id, a page at a time.
async function cellChunks(
  pool: pg.Pool,
  sweepId: string,
  format: Format,
  count: { n: number },
): Promise<AsyncIterable<string>> {
  const { sweepResultPages } = await import('../../store/results.ts');
  async function* withSweepId() {
    for await (const page of sweepResultPages(pool, sweepId)) {
      count.n += page.length;
      yield page.map((row) => ({ sweep_id: sweepId, ...row }));
    }
  }
  return rowChunks(withSweepId(), format);
}
