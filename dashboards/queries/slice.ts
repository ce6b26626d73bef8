// SQL fragments shared by the phase-diagram panels. Text between ${...} is a Grafana template variable;
// the Postgres datasource inserts single values unquoted, hence the quotes around text variables.

// The heatmap's x axis is n_labels or n_unlabeled; the other one is pinned by its own variable.
export const X_COLUMN = `CASE '\${xaxis}' WHEN 'n_unlabeled' THEN sc.n_unlabeled ELSE sc.n_labels END`;

export const METRIC_COLUMN = `CASE '\${metric}'
    WHEN 'test_loss' THEN r.test_loss
    WHEN 'signal_alignment' THEN r.signal_alignment
    ELSE r.test_error END`;

// Supervised cells have no n_unlabeled (NULL); the n_unlabeled variable offers 0 for them.
export const SLICE_FILTER = `sc.sweep_id = '\${sweep}' AND sc.method = '\${method}'
    AND ('\${xaxis}' = 'n_labels' OR sc.n_labels = \${n_labels})
    AND ('\${xaxis}' = 'n_unlabeled' OR coalesce(sc.n_unlabeled, 0) = \${n_unlabeled})`;

// x evenly spaced for log grids: log2(n), or the rank of n for irregular grids.
export function evenlySpaced(column: string): string {
  return `CASE '\${xscale}' WHEN 'rank' THEN dense_rank() OVER (ORDER BY ${column})::float8 ELSE ln(${column}) / ln(2) END`;
}

// SNR levels become heatmap rows named by their value; rounding keeps the names short and stable.
export const SNR_LABEL = `round(snr::numeric, 4)::float8`;

// Two-sided 95% Student t quantiles by degrees of freedom; beyond 30 the df-30 value (2.042) is used,
// which errs on the wide side.
export const T95 = `(VALUES (1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (5, 2.571), (6, 2.447),
    (7, 2.365), (8, 2.306), (9, 2.262), (10, 2.228), (11, 2.201), (12, 2.179), (13, 2.160), (14, 2.145),
    (15, 2.131), (16, 2.120), (17, 2.110), (18, 2.101), (19, 2.093), (20, 2.086), (21, 2.080),
    (22, 2.074), (23, 2.069), (24, 2.064), (25, 2.060), (26, 2.056), (27, 2.052), (28, 2.048),
    (29, 2.045), (30, 2.042)) AS t95(df, t)`;

// Mean test error crossing this level marks the phase boundary (store/ uses the same level).
export const BOUNDARY_ERROR = 0.25;
