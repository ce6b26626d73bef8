import type { Command } from 'commander';
import { sweepBoundaries, sweepBoundarySlopes } from '../../store/boundaries.ts';
import { getDrift } from '../../store/drift.ts';
import type { GridPoint } from '../../store/grid-points.ts';
import type { SweepRow } from '../../store/sweeps.ts';
import { BadInputError } from '../exit.ts';
import type { CodeVersionChoice } from '../views/code-versions.ts';
import { boundariesJson, boundarySlopes, renderBoundaries, sweepTheoryContext } from '../views/boundaries.ts';
import type { DriftPoint } from '../../sweep/drift.ts';
import { recordHeadline, renderMovedPoints, scheduleBaseline } from '../views/drift.ts';
import { addDrawOptions, type DrawFlags } from '../views/options.ts';
import { renderSweepSummary, useColor } from '../views/sweep-summary.ts';

// `--all-runs`: the grid points of the sweep's schedule over every finished run, of one version of a
// program (cli/views/code-versions.ts decides which, and what to say about it).
async function allRuns(
  pool: Parameters<typeof getDrift>[0],
  sweep: SweepRow,
  codeHashFlag: string | undefined,
): Promise<{ runs: number; points: GridPoint[]; code: CodeVersionChoice }> {
  if (!sweep.schedule_id) {
    throw new BadInputError(`--all-runs: sweep ${sweep.id} was not started by a schedule`);
  }
  const { scheduleCodeVersions, scheduleGridPoints } = await import('../../store/schedule-grid-points.ts');
  const { chooseCodeVersion } = await import('../views/code-versions.ts');
  const code = chooseCodeVersion(
    await scheduleCodeVersions(pool, sweep.schedule_id),
    codeHashFlag,
    sweep.schedule_id,
  );
  return { ...(await scheduleGridPoints(pool, sweep.schedule_id, code.filter)), code };
}

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
    .option(
      '--all-runs',
      'for a scheduled sweep: every finished run of its schedule together (all seeds, e.g. with --fresh-seeds)',
    )
    .option(
      '--code-hash <prefix>',
      "with --all-runs over a program's schedule: the version of the program to read (a prefix of its code hash), or `all`; default: the newest",
    )
    .option('--no-color', 'plain text heatmaps (also when NO_COLOR is set or output is not a terminal)')
    .addHelpText(
      'after',
      [
        '\nExamples:',
        '  $ phasesweep show supervised-phase-diagram',
        '  $ phasesweep show simclr-augmentation --x snr --y augment_keep --metric signal_alignment --threshold 0.5',
        '  $ phasesweep show supervised-phase-diagram --json | jq .panels[0].boundary.theory_slope',
        '  $ phasesweep show nightly-supervised --all-runs',
        '  $ phasesweep show nightly-my-model --all-runs --code-hash 3f2a1b',
      ].join('\n'),
    )
    .action(
      async (
        idOrName: string,
        opts: DrawFlags & { json?: boolean; color?: boolean; allRuns?: boolean; codeHash?: string },
      ) => {
        if (opts.codeHash !== undefined && !opts.allRuns) {
          throw new BadInputError(
            '--code-hash reads one version of a program among the runs of --all-runs: add --all-runs',
          );
        }
        const { viewChoice } = await import('../views/view-axes.ts');
        viewChoice(opts);
        const { resolveDraw } = await import('../views/metric-choice.ts');
        const { requireSweep, withStore } = await import('../store-session.ts');
        const { gridPoints } = await import('../../store/grid-points.ts');
        const { omittedPanels, slicesJson, renderSweepHeatmaps } = await import('../views/heatmap.ts');
        await withStore(async (pool) => {
          const sweep = await requireSweep(pool, idOrName);
          const pooled = opts.allRuns ? await allRuns(pool, sweep, opts.codeHash) : undefined;
          const points = pooled?.points ?? (await gridPoints(pool, sweep.id));
          const draw = resolveDraw(points, sweep, opts);
          const drift = await getDrift(pool, sweep.id);
          // A refined boundary belongs to the run that refined it, not to the runs pooled.
          const boundaries = pooled ? [] : await sweepBoundaries(pool, sweep.id);
          const slopes = pooled
            ? []
            : boundarySlopes(
                await sweepBoundarySlopes(pool, sweep.id),
                boundaries,
                sweepTheoryContext(sweep.spec),
              );
          if (opts.json) {
            console.log(
              JSON.stringify(
                {
                  sweep,
                  ...(pooled
                    ? {
                        pooled_runs: pooled.runs,
                        code_versions: pooled.code.versions,
                        code_hash: pooled.code.code_hash,
                        code_warning: pooled.code.warning,
                      }
                    : {}),
                  panels: slicesJson(points, draw, boundaries),
                  omitted_panels: omittedPanels(points, draw),
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
          if (pooled) {
            const { shortHash } = await import('../../sweep/code-versions.ts');
            const version = pooled.code.filter === null ? '' : ` of program ${shortHash(pooled.code.filter)}`;
            console.log(
              `all ${pooled.runs} finished runs${version} of schedule ${sweep.schedule_id} together: every seed of every run, a cell two runs share once`,
            );
            if (pooled.code.warning) console.log(pooled.code.warning);
          }
          console.log('');
          console.log(renderSweepHeatmaps(points, { color: useColor(opts.color) }, draw, boundaries));
          if (boundaries.length > 0) console.log(`\n${renderBoundaries(boundaries, slopes)}`);
          if (drift) {
            console.log(
              `\ndrift against ${scheduleBaseline(drift)} of schedule ${drift.schedule_id ?? '-'}:`,
            );
            console.log(
              [recordHeadline(drift, sweep.id), ...renderMovedPoints(drift.points as DriftPoint[])].join(
                '\n',
              ),
            );
          }
        });
      },
    );
}
