import type { Command } from 'commander';
import { driftSamples, namedMetricsOf } from '../../store/drift.ts';
import { DEFAULT_FDR, DEFAULT_MIN_DELTA, gridDrift } from '../../sweep/drift.ts';
import { BadInputError } from '../exit.ts';
import { renderDrift } from '../views/drift.ts';
import { parseNonNegativeNumber, parseProbability } from '../views/options.ts';

export function register(program: Command): void {
  program
    .command('drift')
    .description(
      'grid points whose mean test error (or --metric) changed between two sweeps: per point a paired test on the ' +
        "per-seed differences where the sweeps retrained the same seeds, else Welch's t-test; " +
        'Benjamini-Hochberg false-discovery control across the points',
    )
    .argument('<sweepA>', 'baseline sweep id or name')
    .argument('<sweepB>', 'sweep to compare, id or name')
    .option(
      '--fdr <rate>',
      'false-discovery rate: flag points whose Benjamini-Hochberg adjusted p-value is at most this',
      parseProbability,
      DEFAULT_FDR,
    )
    .option(
      '--min-delta <change>',
      'flag only moves of the mean metric at least this large (in its own units)',
      parseNonNegativeNumber,
      DEFAULT_MIN_DELTA,
    )
    .option(
      '--metric <name>',
      "the metric compared: a built-in one, or any metric a command sweep's results carry (default: test_error, or the first of command.metrics)",
    )
    .option('--fail-on-drift', 'exit 1 when any grid point moved')
    .option('--json', 'print a JSON object')
    .addHelpText(
      'after',
      [
        '',
        'Points are matched on method, n_labels, n_unlabeled, SNR and every other trainer setting; a fixed',
        'setting that differs between the sweeps (one value in each) is named, and points are matched without',
        'it. A cell of sweepB that sweepA has too (same cell key) is a cache hit, the same stored number on both',
        'sides, and is not evidence; when every cell is one, drift says that nothing was retrained. Where the',
        'retrained cells share two or more seeds with sweepA, the per-seed differences are tested (paired t,',
        'or Wilcoxon signed-rank where they are far from normal: see the README); otherwise Welch. A point needs',
        'two or more seeds on each side to be tested. Exits 2 when no grid point is shared.',
        '',
        'Example:',
        '  $ phasesweep drift nightly-20261122T020000Z-ab12 nightly-20261123T020000Z-cd34 --fail-on-drift',
      ].join('\n'),
    )
    .action(
      async (
        a: string,
        b: string,
        opts: { fdr: number; minDelta: number; failOnDrift?: boolean; json?: boolean; metric?: string },
      ) => {
        const { requireSweep, withStore } = await import('../store-session.ts');
        const { driftMetric } = await import('../views/metric-choice.ts');
        await withStore(async (pool) => {
          const [sa, sb] = [await requireSweep(pool, a), await requireSweep(pool, b)];
          const metric = driftMetric(sa, sb, await namedMetricsOf(pool, [sa.id, sb.id]), opts.metric);
          const report = gridDrift(
            await driftSamples(pool, [sa.id], metric),
            await driftSamples(pool, [sb.id], metric),
            { fdr: opts.fdr, minDelta: opts.minDelta },
          );
          if (report.compared === 0) {
            throw new BadInputError(
              `no grid point is shared by ${sa.id} (${report.points_a} points) and ${sb.id} ` +
                `(${report.points_b} points) with a ${metric} in both: nothing to compare. Drift compares ` +
                "two runs of the same grid (same methods, n_labels, n_unlabeled and SNR values, or a program's same parameters).",
            );
          }
          if (opts.json)
            console.log(JSON.stringify({ sweep_a: sa.id, sweep_b: sb.id, metric, ...report }, null, 2));
          else console.log(renderDrift(report, sa.id, sb.id, metric));
          if (opts.failOnDrift && report.moved.length > 0) process.exitCode = 1;
        });
      },
    );
}
