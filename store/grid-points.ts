import type pg from 'pg';
import { summarizeMetric, type MetricSummary } from '../sweep/stats.ts';
import { gridParamsOf, type GridParams } from '../sweep/axes.ts';
import { RESULT_METRICS, type ResultMetric } from '../trainer/index.ts';
import { GRID_POINTS_SQL } from './queries.ts';

/** A parameter's value as stored: JSON's number, string or boolean. */
export type ParamValue = number | string | boolean;

// One grid point of a sweep over its seeds: seeds counts cells with a result, diverged ones among them
// add to `diverged` but to no metric.
interface PointOutcome {
  cells: number;
  seeds: number;
  diverged: number;
  failed: number;
  // The refine round that added the point; 0 for the spec's grid.
  round: number;
  /** by name: the built-in metrics of a built-in method's point, the program's own of a command point */
  metrics: Record<string, MetricSummary>;
}

/** A point of a built-in method: its parameters as the trainer reads them, defaults filled in. */
export interface BuiltInPoint extends PointOutcome {
  params: GridParams;
  values?: never;
}

/**
 * A point of a user's program (`method: command`), whose parameters phasesweep knows only by name:
 * every parameter but the seed as stored, the method among them.
 */
export interface NamedPoint extends PointOutcome {
  params: null;
  values: Record<string, ParamValue>;
}

export type GridPoint = BuiltInPoint | NamedPoint;

/** A point's method, as stored. */
export const methodOfPoint = (pt: GridPoint): string =>
  pt.params === null ? String(pt.values.method) : pt.params.method;

// A metric by name as grid_point_stats summarises it (store/migrations/020_metric_stats.sql).
export interface NamedMetricRow {
  n: number;
  mean: number | null;
  sd: number | null;
}

// A grid point as SQL returns it: per built-in metric its count, mean and sample standard deviation,
// the metrics by name in one object, and whether the point's parameters are a program's own (by_name).
export type GridPointRow = Pick<PointOutcome, 'cells' | 'seeds' | 'diverged' | 'failed' | 'round'> & {
  params: Record<string, unknown>;
  by_name: boolean;
  metric_stats: Record<string, NamedMetricRow> | null;
} & Record<`n_${ResultMetric}`, number> &
  Record<`mean_${ResultMetric}` | `sd_${ResultMetric}`, number | null>;

export async function gridPoints(pool: pg.Pool, sweepId: string): Promise<GridPoint[]> {
  const { rows } = await pool.query<GridPointRow>(GRID_POINTS_SQL, [sweepId]);
  return rows.map(toGridPoint);
}

export function toGridPoint(row: GridPointRow): GridPoint {
  const { seed: _seed, ...values } = row.params as Record<string, ParamValue>;
  const named = Object.entries(row.metric_stats ?? {}).map(([name, s]): [string, MetricSummary] => [
    name,
    summarizeMetric(s.n, s.mean, s.sd),
  ]);
  const builtIn = row.by_name
    ? []
    : RESULT_METRICS.map((m): [string, MetricSummary] => [
        m,
        summarizeMetric(row[`n_${m}`], row[`mean_${m}`], row[`sd_${m}`]),
      ]);
  const outcome = {
    cells: row.cells,
    seeds: row.seeds,
    diverged: row.diverged,
    failed: row.failed,
    round: row.round,
    metrics: Object.fromEntries([...builtIn, ...named]),
  };
  return row.by_name
    ? { ...outcome, params: null, values }
    : { ...outcome, params: gridParamsOf(row.params) };
}

/** A point's summary of a metric: none (n 0) where its results do not carry it. */
export function metricOf(pt: GridPoint, metric: string): MetricSummary {
  return pt.metrics[metric] ?? { n: 0, mean: null, ci95_low: null, ci95_high: null };
}

/** The metrics a sweep's points carry, built-in first in their order, then the program's by name. */
export function carriedMetrics(points: GridPoint[]): string[] {
  const names = new Set(points.flatMap((pt) => Object.keys(pt.metrics)));
  return [
    ...RESULT_METRICS.filter((m) => names.has(m)),
    ...[...names].filter((n) => !RESULT_METRICS.includes(n as ResultMetric)).sort(),
  ];
}
