import { NUMERIC_AXES } from '../../sweep/axes.ts';
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

// The boundaries refine: stored (crossing per group with its 95% interval over seeds, computed in
// sweep/ from stored results), against x, so this panel has rows for a refined sweep when y is the
// refined axis SNR. A group is in the slice when its other coordinates match the facet; non-monotone
// groups are left out, as from the slope fit. The theory line x * SNR^k = C is drawn only where a
// paper gives one, for the method, q, p and metric of the group (sweep/theory-lines.ts, as in `show`
// and `plot`); C is fitted to the crossings (geometric mean of x * SNR*^k), so the panel compares slopes.
// snr_star_traced repeats the crossing of each row refine.trace added (null at the grid's rows), for the
// panel to mark those rows on the curve.
// A group's q and p: its own value where the grid varies it, else the slice's (the facet's).
const groupParam = (name: 'q' | 'p') =>
  `coalesce((b.group_values ->> '${name}')::float8, (\${facet:sqlstring}::jsonb ->> '${name}')::float8)`;

export const boundaryVsTheory = panelQuery(
  `
WITH rows AS (
  SELECT CASE WHEN \${x:sqlstring} IN (${NUMERIC_AXES.map((a) => `'${a}'`).join(', ')})
      THEN (b.group_values ->> \${x:sqlstring})::float8 END AS n,
    b.crossing AS snr_star, b.ci95_low AS snr_ci95_low, b.ci95_high AS snr_ci95_high,
    CASE WHEN b.traced THEN b.crossing END AS snr_star_traced,
    ${theoryExponentSql({
      method: `(b.group_values ->> 'method')`,
      q: groupParam('q'),
      p: groupParam('p'),
      size: '${x:sqlstring}',
      metric: 'b.metric',
    })} AS k
  FROM boundaries b
  WHERE b.sweep_id = \${sweep:sqlstring} AND b.group_values ->> 'method' = \${method:sqlstring}
    AND \${y:sqlstring} = 'snr' AND b.axis = 'snr' AND b.kind = 'crossing'
    AND \${facet:sqlstring}::jsonb @> (b.group_values - 'method' - \${x:sqlstring})
), fit AS (
  SELECT exp(avg(ln(n * snr_star ^ k))) AS c FROM rows WHERE snr_star > 0 AND n > 0 AND k IS NOT NULL
)
SELECT rows.n, rows.snr_star, rows.snr_ci95_low, rows.snr_ci95_high,
  power(fit.c / rows.n, 1.0 / rows.k) AS snr_theory, rows.snr_star_traced
FROM rows CROSS JOIN fit
WHERE rows.n IS NOT NULL
ORDER BY rows.n`,
  ['n', 'snr_star', 'snr_ci95_low', 'snr_ci95_high', 'snr_theory', 'snr_star_traced'],
);
