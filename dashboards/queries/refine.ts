import { SWEEP_BOUNDARIES_SQL, SWEEP_BOUNDARY_SLOPES_SQL, withParams } from '../../store/queries.ts';
import { panelQuery } from '../panel-query.ts';

// The boundaries refine: found for the selected sweep and method (store table `boundaries`), one row
// per group: the crossing, its 95% interval over seeds and the grid bracket, and whether refine.trace
// added the row; empty for a sweep without refine:. Ordered by the groups' sample sizes as numbers, so
// that a traced boundary reads as its polyline, row by row.
export const refinedBoundaries = panelQuery(
  `
SELECT b.group_values::text AS "group", b.axis, b.kind, b.crossing, b.ci95_low, b.ci95_high, b.seeds,
  b.no_crossing, b.bracket_low AS grid_bracket_low, b.bracket_high AS grid_bracket_high, b.rounds, b.cells,
  b.traced
FROM (${withParams(SWEEP_BOUNDARIES_SQL, ['${sweep:sqlstring}'])}) b
WHERE b.group_values->>'method' = \${method:sqlstring}
ORDER BY (b.group_values->>'n_unlabeled')::float8 NULLS FIRST, (b.group_values->>'n_labels')::float8 NULLS FIRST,
  b.group_key`,
  [
    'group',
    'axis',
    'kind',
    'crossing',
    'ci95_low',
    'ci95_high',
    'seeds',
    'no_crossing',
    'grid_bracket_low',
    'grid_bracket_high',
    'rounds',
    'cells',
    'traced',
  ],
);

// The stored slopes of the crossing against a sample size (sweep/boundary-estimate.ts): the bootstrap
// interval over seeds, the OLS one beside it, and the groups the fit left out. Every method's, since a
// method's slope needs two sample sizes that cross and "where" names the method.
export const refinedSlopes = panelQuery(
  `
SELECT s.where_values::text AS "where", s.x_axis, s.groups, s.slope, s.ci95_low, s.ci95_high,
  s.ols95_low, s.ols95_high, s.left_out::text AS left_out
FROM (${withParams(SWEEP_BOUNDARY_SLOPES_SQL, ['${sweep:sqlstring}'])}) s`,
  ['where', 'x_axis', 'groups', 'slope', 'ci95_low', 'ci95_high', 'ols95_low', 'ols95_high', 'left_out'],
);
