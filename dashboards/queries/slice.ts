import { RESULT_METRICS } from '../../sweep/axes.ts';

// SQL fragments shared by the phase-diagram panels, over store/'s grid_point_stats view. Text between
// ${...} is a Grafana template variable: the Postgres datasource inserts a single value as it is, and
// `${v:sqlstring}` as a quoted SQL literal with its quotes escaped.

/**
 * The value at a grid point of the axis variable `v` (x or y) names, any numeric parameter of the
 * sweep (a program's own names included); NULL where the point lacks it (an optional parameter left at
 * its default) or it is not a number (a hand-edited dashboard URL), which never reaches the cast; the
 * literal quoting leaves the name no way out of its string.
 */
export function axisValue(v: 'x' | 'y'): string {
  return `CASE WHEN jsonb_typeof(g.params -> \${${v}:sqlstring}) = 'number' THEN (g.params ->> \${${v}:sqlstring})::float8 END`;
}

// Per-metric columns of grid_point_stats (test error's n and CI columns carry no suffix there); a
// program's metric by name from its metric_stats (020), which holds the same figures per name.
export function metricColumn(prefix: 'n' | 'mean' | 'sd' | 'ci95_low' | 'ci95_high'): string {
  const column = (metric: string) =>
    metric === 'test_error' && (prefix === 'n' || prefix.startsWith('ci95'))
      ? `g.${prefix}`
      : `g.${prefix}_${metric}`;
  const cases = RESULT_METRICS.map((m) => `WHEN '${m}' THEN ${column(m)}`).join(' ');
  const named = `(g.metric_stats -> \${metric:sqlstring} ->> '${prefix}')::float8`;
  return `CASE WHEN g.metric_stats ? \${metric:sqlstring} THEN ${named} ELSE CASE \${metric:sqlstring} ${cases} END END`;
}

// The grid points of one slice: the sweep and method chosen, and every parameter but x and y at the
// values the facet variable picked (its value is the rest of a grid point's params, as JSON text).
export const SLICE_FILTER = `g.sweep_id = \${sweep:sqlstring} AND g.method = \${method:sqlstring}
    AND (g.params - \${x:sqlstring} - \${y:sqlstring})::text = \${facet:sqlstring}`;

// x evenly spaced for log grids: log2(x) (positive values only), or the rank of x for irregular grids
// and for axes that start at 0; raw x for the matrix table, where a cell's label is all that matters.
export function evenlySpaced(column: string): string {
  return `CASE \${xscale:sqlstring} WHEN 'rank' THEN dense_rank() OVER (ORDER BY ${column})::float8 WHEN 'raw' THEN ${column}::float8 ELSE CASE WHEN ${column} > 0 THEN ln(${column}) / ln(2) END END`;
}

// Levels of the y axis (SNR in the comparison) become heatmap rows named by their value; rounding keeps
// the names short and stable.
export function rowLabel(column: string): string {
  return `round(${column}::numeric, 4)::float8`;
}

// The error level below which the comparison counts a label count as enough: refine:'s usual threshold.
export const BOUNDARY_ERROR = 0.25;
