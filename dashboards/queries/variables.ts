import { METHOD, TRAINED_METHODS } from '../../sweep/axes.ts';

// Queries behind the template variables. __value / __text are the datasource's names for an option's
// value and label.
export const sweepOptions = `
SELECT id AS __value, name || ' · ' || to_char(created_at, 'YYYY-MM-DD HH24:MI') || ' · ' || status AS __text
FROM sweeps ORDER BY created_at DESC LIMIT 200`.trim();

const sqlText = (value: string): string => `'${value.replaceAll("'", "''")}'`;

// Only methods that train have outcomes to draw.
export const methodOptions = `SELECT DISTINCT method FROM sweep_cells WHERE sweep_id = \${sweep:sqlstring} AND method IN (${TRAINED_METHODS.map(sqlText).join(', ')}) ORDER BY 1`;

// The slices of a sweep's grid points for the chosen x and y: each distinct rest of a point's params
// (all but x and y, as JSON text, which the panels match), labelled by the parameters that vary
// between the slices ("all points" when only x and y vary).
export const facetOptions = `
WITH slices AS (
  SELECT DISTINCT params - \${x:sqlstring} - \${y:sqlstring} AS rest
  FROM grid_point_stats WHERE sweep_id = \${sweep:sqlstring} AND method = \${method:sqlstring}
), entries AS (
  SELECT rest, e.key, e.value FROM slices CROSS JOIN LATERAL jsonb_each(slices.rest) e
), varying AS (
  SELECT key FROM entries GROUP BY key
  HAVING count(DISTINCT value) > 1 OR count(*) < (SELECT count(*) FROM slices)
)
SELECT slices.rest::text AS __value,
  coalesce(
    string_agg(entries.key || '=' || (entries.value #>> '{}'), ' ' ORDER BY entries.key)
      FILTER (WHERE entries.key IN (SELECT key FROM varying)),
    'all points'
  ) AS __text
FROM slices JOIN entries ON entries.rest = slices.rest
GROUP BY slices.rest
ORDER BY __text`.trim();

export const simclrUnlabeledOptions = `SELECT DISTINCT n_unlabeled FROM sweep_cells WHERE sweep_id = \${sweep:sqlstring} AND method = '${METHOD.simclr}' ORDER BY 1`;

export const scheduleOptions = `SELECT DISTINCT schedule_id FROM sweeps WHERE schedule_id IS NOT NULL ORDER BY 1`;
