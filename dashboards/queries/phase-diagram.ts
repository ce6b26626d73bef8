import { theoryExponentSql } from '../../sweep/theory-lines.ts';
import { panelQuery } from '../panel-query.ts';
import { evenlySpaced, metricColumn, SLICE_FILTER, SNR_LABEL, X_COLUMN } from './slice.ts';

// Long rows (n, snr, value); the panel pivots them with groupingToMatrix into the wide table the
// heatmap reads (x column, one column per SNR level). Grid points are store/'s grid_point_stats.
export const phaseHeatmap = panelQuery(
  `
WITH points AS (
  SELECT ${X_COLUMN} AS x, g.snr, avg(${metricColumn('mean')}) AS value
  FROM grid_point_stats g
  WHERE ${SLICE_FILTER}
  GROUP BY 1, 2
)
SELECT ${evenlySpaced('x')} AS n, ${SNR_LABEL} AS snr, value
FROM points WHERE x IS NOT NULL AND value IS NOT NULL
ORDER BY snr, x`,
  ['n', 'snr', 'value'],
);

export const gridPointTable = panelQuery(
  `
SELECT g.method, g.n_labels, g.n_unlabeled, g.snr, g.seeds, g.diverged, g.failed,
  ${metricColumn('n')} AS n, ${metricColumn('mean')} AS mean, ${metricColumn('sd')} AS sd,
  ${metricColumn('ci95_low')} AS ci95_low, ${metricColumn('ci95_high')} AS ci95_high
FROM grid_point_stats g
WHERE ${SLICE_FILTER}
ORDER BY g.n_labels, g.n_unlabeled, g.snr`,
  [
    'method',
    'n_labels',
    'n_unlabeled',
    'snr',
    'seeds',
    'diverged',
    'failed',
    'n',
    'mean',
    'sd',
    'ci95_low',
    'ci95_high',
  ],
);

// store/'s phase_boundary gives SNR*(n) per grid row. The theory line n * SNR^k = C is drawn only where
// a paper gives one (sweep/theory-lines.ts: k = q for q > 2, 4 for q = 1, 2 for SimCLR's n_0); C is
// fitted to the estimates (geometric mean of n * SNR*^k), so the panel compares slopes.
export const boundaryVsTheory = panelQuery(
  `
WITH rows AS (
  SELECT ${X_COLUMN} AS n, g.snr_star, ${theoryExponentSql('g.method', 'g.q', "'${xaxis}'")} AS k
  FROM phase_boundary g
  WHERE ${SLICE_FILTER}
), fit AS (
  SELECT exp(avg(ln(n * snr_star ^ k))) AS c FROM rows WHERE snr_star > 0 AND k IS NOT NULL
)
SELECT rows.n::float8 AS n, avg(rows.snr_star) AS snr_star, power(fit.c / rows.n, 1.0 / max(rows.k)) AS snr_theory
FROM rows CROSS JOIN fit
WHERE rows.n IS NOT NULL
GROUP BY rows.n, fit.c
ORDER BY rows.n`,
  ['n', 'snr_star', 'snr_theory'],
);
