import type { Command } from 'commander';
import { gridStats } from '../../store/aggregates.ts';
import { plotFormatOf } from '../plots/plot-format.ts';
import { parsePositiveNumber } from '../views/options.ts';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function register(program: Command): void {
  program
    .command('plot')
    .description('phase diagram of a sweep as SVG or PNG: heatmaps, boundary, theory line, SimCLR gain')
    .argument('<sweep>', 'sweep id, or a name (its most recent sweep)')
    .requiredOption('--out <file>', 'output file, .svg or .png (repeat for both)', collect)
    .option('--scale <factor>', 'PNG pixels per SVG unit', parsePositiveNumber, 2)
    .option('--title <text>', 'figure title (default: the sweep name, its id below)')
    .option('--json', 'print a JSON object naming the files written')
    .addHelpText(
      'after',
      '\nExample:\n  $ phasesweep plot supervised-phase-diagram --out phase.svg --out phase.png',
    )
    .action(
      async (idOrName: string, opts: { out: string[]; scale: number; title?: string; json?: boolean }) => {
        opts.out.forEach(plotFormatOf);
        const { requireSweep, withStore } = await import('../store-session.ts');
        await withStore(async (pool) => {
          const sweep = await requireSweep(pool, idOrName);
          const points = await gridStats(pool, sweep.id);
          // Vega and the PNG renderer load only when a plot is drawn: every other command starts faster.
          const { writePhaseDiagram } = await import('../plots/write-plot.ts');
          await writePhaseDiagram(
            points,
            opts.title ? { text: opts.title } : { text: sweep.name, subtitle: sweep.id },
            opts.out,
            opts.scale,
          );
          if (opts.json) console.log(JSON.stringify({ sweep_id: sweep.id, files: opts.out }));
          else for (const f of opts.out) console.log(`wrote ${f}`);
        });
      },
    );
}
