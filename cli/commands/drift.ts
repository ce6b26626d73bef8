import type { Command } from 'commander';
import { gridStats } from '../../store/aggregates.ts';
import { DEFAULT_MIN_DELTA, gridDrift } from '../../store/drift.ts';
import { renderDrift } from '../views/drift.ts';
import { parseNonNegativeNumber } from '../views/options.ts';

export function register(program: Command): void {
  program
    .command('drift')
    .description(
      'grid points whose mean test error moved beyond the 95% confidence intervals between two sweeps',
    )
    .argument('<sweepA>', 'baseline sweep id or name')
    .argument('<sweepB>', 'sweep to compare, id or name')
    .option(
      '--min-delta <error>',
      'ignore moves smaller than this (and the CI of single-seed points)',
      parseNonNegativeNumber,
      DEFAULT_MIN_DELTA,
    )
    .option('--fail-on-drift', 'exit 1 when any grid point moved')
    .option('--json', 'print a JSON object')
    .addHelpText(
      'after',
      '\nExample:\n  $ phasesweep drift nightly-20261122T020000Z-ab12 nightly-20261123T020000Z-cd34 --fail-on-drift',
    )
    .action(
      async (a: string, b: string, opts: { minDelta: number; failOnDrift?: boolean; json?: boolean }) => {
        const { requireSweep, withStore } = await import('../store-session.ts');
        await withStore(async (pool) => {
          const [sa, sb] = [await requireSweep(pool, a), await requireSweep(pool, b)];
          const report = gridDrift(await gridStats(pool, sa.id), await gridStats(pool, sb.id), opts.minDelta);
          if (opts.json) console.log(JSON.stringify({ sweep_a: sa.id, sweep_b: sb.id, ...report }, null, 2));
          else console.log(renderDrift(report, sa.id, sb.id));
          if (opts.failOnDrift && report.moved.length > 0) process.exitCode = 1;
        });
      },
    );
}
