import type { Command } from 'commander';
import { gridStats } from '../../store/aggregates.ts';
import { sweepBoundaries } from '../../store/boundaries.ts';
import { getDrift } from '../../store/drift.ts';
import { boundariesJson, boundarySlopes, renderBoundaries, sweepQ } from '../views/boundaries.ts';
import { renderSweepHeatmaps, panelsJson } from '../views/heatmap.ts';
import type { DriftPoint } from '../../sweep/drift.ts';
import { renderMovedPoints } from '../views/drift.ts';
import { renderSweepSummary, useColor } from '../views/sweep-summary.ts';

export function register(program: Command): void {
  program
    .command('show')
    .description(
      'summary of a sweep, terminal heatmaps of mean test error with the phase boundary, and drift',
    )
    .argument('<sweep>', 'sweep id, or a name (its most recent sweep)')
    .option('--json', 'print a JSON object (sweep, panels with errors and boundary, drift)')
    .option('--no-color', 'plain text heatmaps (also when NO_COLOR is set or output is not a terminal)')
    .addHelpText(
      'after',
      '\nExample:\n  $ phasesweep show supervised-phase-diagram\n  $ phasesweep show supervised-phase-diagram-20261123T020000Z-1a2b --json | jq .panels[0].boundary',
    )
    .action(async (idOrName: string, opts: { json?: boolean; color?: boolean }) => {
      const { requireSweep, withStore } = await import('../store-session.ts');
      await withStore(async (pool) => {
        const sweep = await requireSweep(pool, idOrName);
        const points = await gridStats(pool, sweep.id);
        const drift = await getDrift(pool, sweep.id);
        const boundaries = await sweepBoundaries(pool, sweep.id);
        const slopes = boundarySlopes(boundaries, sweepQ(sweep.spec));
        if (opts.json) {
          console.log(
            JSON.stringify(
              {
                sweep,
                panels: panelsJson(points),
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
        console.log(renderSweepHeatmaps(points, { color: useColor(opts.color) }));
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
