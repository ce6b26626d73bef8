import { carriedMetrics, type GridPoint } from '../../store/grid-points.ts';
import { isResultMetric, RESULT_METRICS, type MetricName } from '../../trainer/index.ts';
import { listedMetrics } from '../../sweep/command-metrics.ts';
import { BadInputError } from '../exit.ts';
import type { DrawOptions } from './heatmap.ts';
import type { DrawFlags } from './options.ts';
import { checkAxes, viewChoice } from './view-axes.ts';

/**
 * The metric a view draws: the one named, or by default test_error for a built-in method and the
 * first metric a program's spec lists. A built-in metric is always drawable on a built-in sweep (its
 * panels may be empty yet); any other name must be one the sweep's results carry or its spec lists,
 * else one line naming those (bad input: exit 2).
 */
export function chooseMetric(
  points: GridPoint[],
  spec: unknown,
  named: MetricName | undefined,
  sweepId: string,
): MetricName {
  const listed = listedMetrics(spec);
  const metric = named ?? listed[0] ?? 'test_error';
  const byName = listed.length > 0 || points.some((pt) => pt.params === null);
  if (!byName && isResultMetric(metric)) return metric;
  const available = [...new Set([...listed, ...carriedMetrics(points)])];
  if (available.includes(metric)) return metric;
  const known = available.length > 0 ? `available: ${available.join(', ')}` : 'it has no results yet';
  throw new BadInputError(`--metric ${metric}: no result of sweep ${sweepId} carries it; ${known}`);
}

/** What a view draws, from the flags as typed, checked against the sweep's points (bad input: exit 2). */
export function resolveDraw(
  points: GridPoint[],
  sweep: { id: string; spec: unknown },
  flags: DrawFlags,
): DrawOptions {
  const choice = viewChoice(flags);
  checkAxes(points, choice);
  return {
    ...choice,
    metric: chooseMetric(points, sweep.spec, choice.metric, sweep.id),
    threshold: flags.threshold,
  };
}

/**
 * The metric `drift` compares: the one named, or test_error, or for two runs of a program the first
 * metric its spec lists. A name neither run's results carry is one line naming those (exit 2).
 */
export function driftMetric(
  a: { id: string; spec: unknown },
  b: { id: string; spec: unknown },
  carried: string[],
  named: string | undefined,
): MetricName {
  const listed = [...new Set([...listedMetrics(a.spec), ...listedMetrics(b.spec)])];
  const metric = named ?? listed[0] ?? 'test_error';
  const byName = listed.length > 0 || carried.length > 0;
  if (!byName && isResultMetric(metric)) return metric;
  const available = byName ? [...new Set([...listed, ...carried])] : [...RESULT_METRICS];
  if (available.includes(metric)) return metric;
  throw new BadInputError(
    `--metric ${metric}: no result of ${a.id} or ${b.id} carries it; available: ${available.join(', ')}`,
  );
}
