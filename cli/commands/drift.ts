import type { Command } from 'commander';
import type pg from 'pg';
import { driftSamples, namedMetricsOf } from '../../store/drift.ts';
import { DEFAULT_FDR, DEFAULT_MIN_DELTA, gridDrift, type DriftReport } from '../../sweep/drift.ts';
import { BadInputError } from '../exit.ts';
import { baselineLabel, renderDrift, scheduleBaseline, versionNote } from '../views/drift.ts';
import { parseNonNegativeNumber, parseProbability } from '../views/options.ts';

export function register(program: Command): void {
  program
    .command('drift')
    .description(
      'grid points whose mean test error (or --metric) changed between two sweeps: per point a paired test on the ' +
        "per-seed differences where the sweeps retrained the same seeds, else Welch's t-test; " +
        'Benjamini-Hochberg false-discovery control across the points',
    )
    .argument('<sweepA>', "baseline sweep id or name; alone: a schedule's run, compared as its schedule does")
    .argument('[sweepB]', 'sweep to compare, id or name')
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
    .option(
      '--code-hash <prefix>',
      "with one sweep of a program's schedule: the version of the program the baseline is read from (a prefix of its code hash), or `all`; default: the sweep's own version when earlier runs have it, else the one before",
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
        "With one sweep, a schedule's run: the drift its schedule recorded, computed again against the same",
        'baseline (the previous run, or with --fresh-seeds every earlier run). For a program, the baseline holds',
        "one version: the run's own when earlier runs have it, else the version before it, named with the run's.",
        '',
        'Examples:',
        '  $ phasesweep drift nightly-20261122T020000Z-ab12 nightly-20261123T020000Z-cd34 --fail-on-drift',
        '  $ phasesweep drift nightly-20261123T020000Z-cd34 --code-hash all',
      ].join('\n'),
    )
    .action(async (a: string, b: string | undefined, opts: DriftFlags) => {
      const { withStore } = await import('../store-session.ts');
      await withStore(async (pool) => {
        if (b === undefined) return printScheduledDrift(pool, a, opts);
        if (opts.codeHash !== undefined) {
          throw new BadInputError(
            "--code-hash chooses the baseline among a schedule's earlier runs: give one sweep (drift <sweep> --code-hash PREFIX)",
          );
        }
        const { requireSweep } = await import('../store-session.ts');
        const { driftMetric } = await import('../views/metric-choice.ts');
        const [sa, sb] = [await requireSweep(pool, a), await requireSweep(pool, b)];
        const metric = driftMetric(sa, sb, await namedMetricsOf(pool, [sa.id, sb.id]), opts.metric);
        const report = gridDrift(
          await driftSamples(pool, [sa.id], metric),
          await driftSamples(pool, [sb.id], metric),
          { fdr: opts.fdr, minDelta: opts.minDelta },
        );
        if (report.compared === 0) throw nothingShared(report, sa.id, sb.id, metric);
        if (opts.json)
          console.log(JSON.stringify({ sweep_a: sa.id, sweep_b: sb.id, metric, ...report }, null, 2));
        else console.log(renderDrift(report, sa.id, sb.id, metric));
        if (opts.failOnDrift && report.moved.length > 0) process.exitCode = 1;
      });
    });
}

interface DriftFlags {
  fdr: number;
  minDelta: number;
  failOnDrift?: boolean;
  json?: boolean;
  metric?: string;
  codeHash?: string;
}

const nothingShared = (report: DriftReport, a: string, b: string, metric: string): BadInputError =>
  new BadInputError(
    `no grid point is shared by ${a} (${report.points_a} points) and ${b} ` +
      `(${report.points_b} points) with a ${metric} in both: nothing to compare. Drift compares ` +
      "two runs of the same grid (same methods, n_labels, n_unlabeled and SNR values, or a program's same parameters).",
  );

// `drift <sweep>`: a scheduled run against the baseline its schedule compares it with (store/
// scheduled-drift.ts, as the schedule's own drift record); whether the schedule adds fresh seeds each
// run, Temporal's schedule says.
async function printScheduledDrift(pool: pg.Pool, idOrName: string, opts: DriftFlags): Promise<void> {
  const { requireSweep } = await import('../store-session.ts');
  const { driftMetric } = await import('../views/metric-choice.ts');
  const { scheduledDrift } = await import('../../store/scheduled-drift.ts');
  const sweep = await requireSweep(pool, idOrName);
  const scheduleId = sweep.schedule_id;
  if (!scheduleId) {
    throw new BadInputError(
      `drift ${idOrName}: sweep ${sweep.id} was not started by a schedule; name the baseline too (drift <sweepA> <sweepB>)`,
    );
  }
  const { withTemporal } = await import('../../client/schedule-session.ts');
  const { describeSchedule } = await import('../../client/schedule-describe.ts');
  const freshSeeds = (await withTemporal((client) => describeSchedule(client, scheduleId))).fresh_seeds > 0;
  const metric = driftMetric(sweep, sweep, await namedMetricsOf(pool, [sweep.id]), opts.metric);
  const drift = await scheduledDrift(pool, sweep, {
    freshSeeds,
    metric,
    codeHash: opts.codeHash,
    fdr: opts.fdr,
    minDelta: opts.minDelta,
  });
  if (drift === null) {
    throw new BadInputError(
      `drift ${idOrName}: schedule ${scheduleId} has no finished run before ${sweep.id} to compare it with`,
    );
  }
  const { baseline, report } = drift;
  const fields = { baseline_sweep_id: baseline.runs[0], baseline_runs: baseline.runs.length, ...baseline };
  const label = baselineLabel(fields);
  if (report.compared === 0) throw nothingShared(report, label, sweep.id, metric);
  if (opts.json) {
    console.log(
      JSON.stringify(
        {
          sweep: sweep.id,
          schedule_id: scheduleId,
          fresh_seeds: freshSeeds,
          baseline_sweeps: baseline.runs,
          code_hash: baseline.code_hash,
          baseline_code_hash: baseline.baseline_code_hash,
          metric,
          ...report,
        },
        null,
        2,
      ),
    );
  } else {
    const note = versionNote(fields);
    console.log(
      [
        `drift against ${scheduleBaseline(fields)} of schedule ${scheduleId}${note ? `; ${note}` : ''}:`,
        renderDrift(report, label, sweep.id, metric),
      ].join('\n'),
    );
  }
  if (opts.failOnDrift && report.moved.length > 0) process.exitCode = 1;
}
