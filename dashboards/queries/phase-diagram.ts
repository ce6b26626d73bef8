import { theoryExponentSql } from '../../sweep/theory-lines.ts';
import { panelQuery } from '../panel-query.ts';
import { axisValue, evenlySpaced, metricColumn, rowLabel, SLICE_FILTER } from './slice.ts';

// Long rows (x, y, value); the panel pivots them with groupingToMatrix into the wide table the heatmap
// reads (x column, one column per y level). Grid points are store/'s grid_point_stats, one slice of
// them: x and y are the axes chosen, every other parameter is fixed by the facet variable.
export const phaseHeatmap = panelQuery(
  `
WITH points AS (
  SELECT ${axisValue('x')} AS x, ${axisValue('y')} AS y, ${metricColumn('mean')} AS value
  FROM grid_point_stats g
  WHERE ${SLICE_FILTER}
)
SELECT ${evenlySpaced('x')} AS x, ${rowLabel('y')} AS y, value
FROM points WHERE x IS NOT NULL AND y IS NOT NULL AND value IS NOT NULL
ORDER BY y, x`,
  ['x', 'y', 'value'],
);

export const gridPointTable = panelQuery(
  `
SELECT ${axisValue('x')} AS x, ${axisValue('y')} AS y, g.seeds, g.diverged, g.failed,
  ${metricColumn('n')} AS n, ${metricColumn('mean')} AS mean, ${metricColumn('sd')} AS sd,
  ${metricColumn('ci95_low')} AS ci95_low, ${metricColumn('ci95_high')} AS ci95_high
FROM grid_point_stats g
WHERE ${SLICE_FILTER}
ORDER BY x, y`,
  ['x', 'y', 'seeds', 'diverged', 'failed', 'n', 'mean', 'sd', 'ci95_low', 'ci95_high'],
);

// store/'s phase_boundary gives SNR*(x) per grid row (every parameter but SNR), so this panel has rows
// when y is SNR. The theory line x * SNR^k = C is drawn only where a paper gives one
// (sweep/theory-lines.ts: k = q for q > 2, 4 for q = 1, 2 for SimCLR's n_0); C is fitted to the
// estimates (geometric mean of x * SNR*^k), so the panel compares slopes.
export const boundaryVsTheory = panelQuery(
  `
WITH rows AS (
  SELECT ${axisValue('x')} AS n, g.snr_star, ${theoryExponentSql('g.method', 'g.q', '${x:sqlstring}')} AS k
  FROM phase_boundary g
  WHERE g.sweep_id = \${sweep:sqlstring} AND g.method = \${method:sqlstring} AND \${y:sqlstring} = 'snr'
    AND (g.params - \${x:sqlstring})::text = \${facet:sqlstring}
), fit AS (
  SELECT exp(avg(ln(n * snr_star ^ k))) AS c FROM rows WHERE snr_star > 0 AND n > 0 AND k IS NOT NULL
)
SELECT rows.n::float8 AS n, avg(rows.snr_star) AS snr_star, power(fit.c / rows.n, 1.0 / max(rows.k)) AS snr_theory
FROM rows CROSS JOIN fit
WHERE rows.n IS NOT NULL
GROUP BY rows.n, fit.c
ORDER BY rows.n`,
  ['n', 'snr_star', 'snr_theory'],
);
