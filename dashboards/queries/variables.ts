import { COMMAND_METHOD, METHOD, NUMERIC_AXES, RESULT_METRICS, untrainedMethods } from '../../sweep/axes.ts';

// Queries behind the template variables. __value / __text are the datasource's names for an option's
// value and label.
export const sweepOptions = `
SELECT id AS __value, name || ' · ' || to_char(created_at, 'YYYY-MM-DD HH24:MI') || ' · ' || status AS __text
FROM sweeps ORDER BY created_at DESC LIMIT 200`.trim();

const sqlText = (value: string): string => `'${value.replaceAll("'", "''")}'`;

// A sweep whose spec has a `command:` section runs a user's program: its parameters and metrics are
// the program's own, known by name only (README "Your own trainer").
const BY_NAME = `coalesce((SELECT s.spec ? '${COMMAND_METHOD}' FROM sweeps s WHERE s.id = \${sweep:sqlstring}), false)`;

// The methods of the chosen sweep that have results to draw (grid_point_tallies.seeds counts a point's
// results), whatever they are: a built-in one, a user's program (\`command\`), a plug-in. The registry
// names those that train nothing (noop): their results are no outcomes.
export const methodOptions = `SELECT DISTINCT method FROM grid_point_tallies WHERE sweep_id = \${sweep:sqlstring} AND seeds > 0 AND method <> ALL (ARRAY[${untrainedMethods().map(sqlText).join(', ')}]::text[]) ORDER BY 1`;

const listed = (names: readonly string[]) =>
  `SELECT name, ord::integer FROM unnest(ARRAY[${names.map(sqlText).join(', ')}]) WITH ORDINALITY AS t(name, ord)`;

// The metrics of the chosen sweep: the built-in ones, test error first; for a program's sweep the names
// its results carry (grid_point_tallies.metric_stats, store/migrations/020_metric_stats.sql).
export const metricOptions = `
SELECT name FROM (
  SELECT name, ord FROM (${listed(RESULT_METRICS)}) builtin WHERE NOT ${BY_NAME}
  UNION ALL
  SELECT name, 1000 FROM (
    SELECT DISTINCT jsonb_object_keys(metric_stats) AS name FROM grid_point_tallies
    WHERE sweep_id = \${sweep:sqlstring}
  ) named
) m
ORDER BY ord, name`.trim();

// The numeric parameters of the chosen sweep an axis can show, \`first\` leading (the axis's default: the
// first option): the trainer's in its order, or for a program's sweep the numeric parameters its points
// carry, by name.
export function axisOptions(first: string): string {
  return `
SELECT name FROM (
  SELECT name, ord FROM (${listed(NUMERIC_AXES)}) builtin WHERE NOT ${BY_NAME}
  UNION ALL
  SELECT name, 1000 FROM (
    SELECT DISTINCT e.key AS name FROM grid_point_tallies g CROSS JOIN LATERAL jsonb_each(g.params) e
    WHERE g.sweep_id = \${sweep:sqlstring} AND jsonb_typeof(e.value) = 'number' AND ${BY_NAME}
  ) named
) a
ORDER BY name <> ${sqlText(first)}, ord, name`.trim();
}

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
