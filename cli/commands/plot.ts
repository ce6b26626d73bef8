import type { Command } from 'commander';
import { plotFormatOf } from '../plots/plot-format.ts';
import { addDrawOptions, parsePositiveNumber, type DrawFlags } from '../views/options.ts';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function register(program: Command): void {
  addDrawOptions(
    program
      .command('plot')
      .description(
        'phase diagram of a sweep as SVG or PNG: heatmaps over any two parameters, boundary (with refine: its brackets and refined points), theory line, SimCLR gain',
      )
      .argument('<sweep>', 'sweep id, or a name (its most recent sweep)')
      .requiredOption('--out <file>', 'output file, .svg or .png (repeat for both)', collect),
  )
    .option('--scale <factor>', 'PNG pixels per SVG unit', parsePositiveNumber, 2)
    .option('--title <text>', 'figure title (default: the sweep name, its id below)')
    .option('--json', 'print a JSON object naming the files written')
    .addHelpText(
      'after',
      [
        '\nExamples:',
        '  $ phasesweep plot supervised-phase-diagram --out phase.svg --out phase.png',
        '  $ phasesweep plot simclr-head --x snr --y n_unlabeled --facet projection_head,similarity --out head.svg',
      ].join('\n'),
    )
    .action(
      async (
        idOrName: string,
        opts: DrawFlags & { out: string[]; scale: number; title?: string; json?: boolean },
      ) => {
        opts.out.forEach(plotFormatOf);
        const { viewChoice } = await import('../views/view-axes.ts');
        viewChoice(opts);
        const { resolveDraw } = await import('../views/metric-choice.ts');
        const { requireSweep, withStore } = await import('../store-session.ts');
        const { gridPoints } = await import('../../store/grid-points.ts');
        const { sweepBoundaries } = await import('../../store/boundaries.ts');
        await withStore(async (pool) => {
          const sweep = await requireSweep(pool, idOrName);
          const points = await gridPoints(pool, sweep.id);
          const draw = resolveDraw(points, sweep, opts);
          const refined = await sweepBoundaries(pool, sweep.id);
          // Vega and the PNG renderer load only when a plot is drawn: every other command starts faster.
          const { writePhaseDiagram } = await import('../plots/write-plot.ts');
          const title = opts.title ? { text: opts.title } : { text: sweep.name, subtitle: sweep.id };
          await writePhaseDiagram(points, title, opts.out, { scale: opts.scale, draw, refined });
          if (opts.json) console.log(JSON.stringify({ sweep_id: sweep.id, files: opts.out }));
          else for (const f of opts.out) console.log(`wrote ${f}`);
        });
      },
    );
}
