import { SWEEP_BOUNDARIES_SQL, withParams } from '../../store/queries.ts';
import { panelQuery } from '../panel-query.ts';

// The boundaries refine: found for the selected sweep and method (store table `boundaries`), one row
// per group; empty for a sweep without refine:.
export const refinedBoundaries = panelQuery(
  `
SELECT b.group_values::text AS "group", b.axis, b.kind, b.crossing, b.bracket_low, b.bracket_high,
  b.rounds, b.cells
FROM (${withParams(SWEEP_BOUNDARIES_SQL, ['${sweep:sqlstring}'])}) b
WHERE b.group_values->>'method' = \${method:sqlstring}`,
  ['group', 'axis', 'kind', 'crossing', 'bracket_low', 'bracket_high', 'rounds', 'cells'],
);
