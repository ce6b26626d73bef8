import type { Command } from 'commander';
import { sweepBoundaries, sweepBoundarySlopes } from '../../store/boundaries.ts';
import { getDrift } from '../../store/drift.ts';
import { boundariesJson, boundarySlopes, renderBoundaries, sweepQ } from '../views/boundaries.ts';
import type { DriftPoint } from '../../sweep/drift.ts';
import { renderMovedPoints } from '../views/drift.ts';
import { addDrawOptions, type DrawFlags } from '../views/options.ts';
import { renderSweepSummary, useColor } from '../views/sweep-summary.ts';

export function register(program: Command): void {
  addDrawOptions(
    program
      .command('show')
      .description(
        'summary of a sweep, terminal heatmaps of a metric over any two parameters with the phase boundary, and drift',
      )
      .argument('<sweep>', 'sweep id, or a name (its most recent sweep)'),
  )
    .option(
      '--json',
      'print a JSON object (sweep, panels with values, boundary and theory slope, drift, refined boundaries)',
    )
    .option('--no-color', 'plain text heatmaps (also when NO_COLOR is set or output is not a terminal)')
    .addHelpText(
      'after',
      [
        '\nExamples:',
        '  $ phasesweep show supervised-phase-diagram',
        '  $ phasesweep show simclr-augmentation --x snr --y augment_keep --metric signal_alignment --threshold 0.5',
        '  $ phasesweep show supervised-phase-diagram --json | jq .panels[0].boundary.theory_slope',
      ].join('\n'),
    )
    .action(async (idOrName: string, opts: DrawFlags & { json?: boolean; color?: boolean }) => {
      const { viewChoice } = await import('../views/view-axes.ts');
      const draw = { ...viewChoice(opts), threshold: opts.threshold };
      const { requireSweep, withStore } = await import('../store-session.ts');
      const { gridPoints } = await import('../../store/grid-points.ts');
      const { slicesJson, renderSweepHeatmaps } = await import('../views/heatmap.ts');
      await withStore(async (pool) => {
        const sweep = await requireSweep(pool, idOrName);
        const points = await gridPoints(pool, sweep.id);
        const drift = await getDrift(pool, sweep.id);
        const boundaries = await sweepBoundaries(pool, sweep.id);
        const slopes = boundarySlopes(await sweepBoundarySlopes(pool, sweep.id), sweepQ(sweep.spec));
        if (opts.json) {
          console.log(
            JSON.stringify(
              {
                sweep,
                panels: slicesJson(points, draw, boundaries),
                drift: drift ?? null,
                boundaries: boundariesJson(boundaries),
                boundary_slopes: slopes,
              },
              null,
              2,
            ),
          );
          return;
        }
        console.log(renderSweepSummary(sweep));
        console.log('');
        console.log(renderSweepHeatmaps(points, { color: useColor(opts.color) }, draw, boundaries));
        if (boundaries.length > 0) console.log(`\n${renderBoundaries(boundaries, slopes)}`);
        if (drift) {
          console.log(`\ndrift against the previous run of schedule ${drift.schedule_id ?? '-'}:`);
          console.log(
            [
              `${drift.moved} of ${drift.compared} grid points moved since ${drift.baseline_sweep_id}`,
              ...renderMovedPoints(drift.points as DriftPoint[]),
            ].join('\n'),
          );
        }
      });
    });
}
