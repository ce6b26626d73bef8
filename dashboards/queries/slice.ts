// SQL fragments shared by the phase-diagram panels, over store/'s views (grid_point_stats,
// phase_boundary). Text between ${...} is a Grafana template variable; the Postgres datasource inserts
// single values unquoted, hence the quotes around text variables.

// The heatmap's x axis is n_labels or n_unlabeled; the other one is pinned by its own variable.
export const X_COLUMN = `CASE '\${xaxis}' WHEN 'n_unlabeled' THEN g.n_unlabeled ELSE g.n_labels END`;

// Per-metric columns of grid_point_stats (test error's CI columns carry no suffix there).
export function metricColumn(prefix: 'n' | 'mean' | 'sd' | 'ci95_low' | 'ci95_high'): string {
  const column = (metric: string) =>
    prefix === 'n' || prefix.startsWith('ci95')
      ? metric === 'test_error'
        ? `g.${prefix}`
        : `g.${prefix}_${metric}`
      : `g.${prefix}_${metric}`;
  return `CASE '\${metric}' WHEN 'test_loss' THEN ${column('test_loss')} WHEN 'signal_alignment' THEN ${column(
    'signal_alignment',
  )} ELSE ${column('test_error')} END`;
}

// Supervised cells have no n_unlabeled (NULL); the n_unlabeled variable offers 0 for them.
export const SLICE_FILTER = `g.sweep_id = '\${sweep}' AND g.method = '\${method}'
    AND ('\${xaxis}' = 'n_labels' OR g.n_labels = \${n_labels})
    AND ('\${xaxis}' = 'n_unlabeled' OR coalesce(g.n_unlabeled, 0) = \${n_unlabeled})`;

// x evenly spaced for log grids: log2(n), or the rank of n for irregular grids; raw n for the matrix
// table, where a cell's label is all that matters.
export function evenlySpaced(column: string): string {
  return `CASE '\${xscale}' WHEN 'rank' THEN dense_rank() OVER (ORDER BY ${column})::float8 WHEN 'raw' THEN ${column}::float8 ELSE ln(${column}) / ln(2) END`;
}

// SNR levels become heatmap rows named by their value; rounding keeps the names short and stable.
export const SNR_LABEL = `round(snr::numeric, 4)::float8`;

// The error level that defines the boundary in store/'s phase_boundary view.
export const BOUNDARY_ERROR = 0.25;
