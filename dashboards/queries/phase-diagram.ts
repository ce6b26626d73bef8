import { panelQuery } from '../panel-query.ts';
import {
  BOUNDARY_ERROR,
  evenlySpaced,
  METRIC_COLUMN,
  SLICE_FILTER,
  SNR_LABEL,
  T95,
  X_COLUMN,
} from './slice.ts';

// Long rows (n, snr, value); the panel pivots them with groupingToMatrix into the wide table the
// heatmap reads (x column, one column per SNR level).
export const phaseHeatmap = panelQuery(
  `
WITH points AS (
  SELECT ${X_COLUMN} AS x, sc.snr, avg(${METRIC_COLUMN}) AS value
  FROM sweep_cells sc JOIN results r ON r.cell_key = sc.cell_key
  WHERE ${SLICE_FILTER} AND NOT r.diverged
  GROUP BY 1, 2
)
SELECT ${evenlySpaced('x')} AS n, ${SNR_LABEL} AS snr, value
FROM points WHERE x IS NOT NULL
ORDER BY snr, x`,
  ['n', 'snr', 'value'],
);

export const gridPointTable = panelQuery(
  `
WITH stats AS (
  SELECT sc.method, sc.n_labels, sc.n_unlabeled, sc.snr,
    count(${METRIC_COLUMN}) FILTER (WHERE NOT r.diverged) AS seeds,
    count(*) FILTER (WHERE r.diverged) AS diverged,
    avg(${METRIC_COLUMN}) FILTER (WHERE NOT r.diverged) AS mean,
    stddev_samp(${METRIC_COLUMN}) FILTER (WHERE NOT r.diverged) AS sd
  FROM sweep_cells sc JOIN results r ON r.cell_key = sc.cell_key
  WHERE ${SLICE_FILTER}
  GROUP BY 1, 2, 3, 4
)
SELECT s.method, s.n_labels, s.n_unlabeled, s.snr, s.seeds, s.diverged, s.mean, s.sd,
  s.mean - t95.t * s.sd / sqrt(s.seeds) AS ci95_low,
  s.mean + t95.t * s.sd / sqrt(s.seeds) AS ci95_high
FROM stats s LEFT JOIN ${T95} ON t95.df = least(s.seeds - 1, 30)
ORDER BY s.n_labels, s.n_unlabeled, s.snr`,
  ['method', 'n_labels', 'n_unlabeled', 'snr', 'seeds', 'diverged', 'mean', 'sd', 'ci95_low', 'ci95_high'],
);

// The estimated boundary SNR*(n): where mean test error first falls below the level, interpolated in
// log SNR. The theory line n * SNR^q = C (q = 2 for pre-training sample size n_0) has the slope the
// papers predict; C is fitted to the estimates so the comparison is about slope.
export const boundaryVsTheory = panelQuery(
  `
WITH points AS (
  SELECT ${X_COLUMN} AS n, sc.snr, avg(r.test_error) AS err,
    max(CASE '\${xaxis}' WHEN 'n_unlabeled' THEN 2 ELSE sc.q END) AS q
  FROM sweep_cells sc JOIN results r ON r.cell_key = sc.cell_key
  WHERE ${SLICE_FILTER} AND NOT r.diverged AND sc.snr > 0
  GROUP BY 1, 2
), steps AS (
  SELECT n, q, snr, err, lag(snr) OVER w AS prev_snr, lag(err) OVER w AS prev_err
  FROM points WINDOW w AS (PARTITION BY n ORDER BY snr)
), crossings AS (
  SELECT n, max(q) AS q,
    min(exp(ln(prev_snr) + (prev_err - ${BOUNDARY_ERROR}) / (prev_err - err) * (ln(snr) - ln(prev_snr)))) AS snr_star
  FROM steps WHERE prev_err >= ${BOUNDARY_ERROR} AND err < ${BOUNDARY_ERROR}
  GROUP BY n
), fit AS (
  SELECT exp(avg(ln(n * power(snr_star, q)))) AS c FROM crossings
)
SELECT g.n::float8 AS n, c.snr_star, power(fit.c / g.n, 1.0 / g.q) AS snr_theory
FROM (SELECT n, max(q) AS q FROM points WHERE n IS NOT NULL GROUP BY n) g
  LEFT JOIN crossings c ON c.n = g.n
  CROSS JOIN fit
ORDER BY g.n`,
  ['n', 'snr_star', 'snr_theory'],
);
