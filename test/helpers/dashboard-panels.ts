// Shared by the dashboards integration tests: runs dashboard variables and panel SQL the way Grafana
// would (macros and variables expanded), as a given database pool (the SELECT-only reader).
import assert from 'node:assert/strict';
import type pg from 'pg';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PANEL_QUERIES } from '../../dashboards/catalog.ts';
import { interpolate, type VariableValues } from './grafana-interpolate.ts';

export interface VariableJson {
  name: string;
  type: string;
  query?: unknown;
  options?: { value: string; selected?: boolean }[];
}
export interface PanelJson {
  title: string;
  targets: { rawSql: string }[];
}

export const variablesOf = (d: dashboard.Dashboard) =>
  (d.templating?.list ?? []) as unknown as VariableJson[];
export const panelsOf = (d: dashboard.Dashboard) => (d.panels ?? []) as unknown as PanelJson[];

const range = { from: new Date(Date.now() - 7 * 86400_000), to: new Date(Date.now() + 3600_000) };
export const expand = (sql: string, variables: VariableValues) =>
  interpolate(sql, { range, interval: '1m', variables });

// Resolves the variables in dashboard order, like Grafana: query variables run their SQL with the
// values chosen so far; each takes the given choice (which must be one of its options) or else its
// selected option (custom) or first option (query).
export async function resolveVariables(
  db: pg.Pool,
  vars: VariableJson[],
  chosen: Record<string, string>,
): Promise<VariableValues> {
  const values: Record<string, string> = {};
  for (const v of vars) {
    if (v.type === 'custom') {
      values[v.name] = chosen[v.name] ?? (v.options!.find((o) => o.selected) ?? v.options![0]!).value;
      continue;
    }
    const { rows, fields } = await db.query(expand(String(v.query), values));
    const column = fields.some((f) => f.name === '__value') ? '__value' : fields[0]!.name;
    const options = rows.map((r: Record<string, unknown>) => String(r[column]));
    assert.ok(options.length > 0, `variable ${v.name} has no options`);
    const preferred = chosen[v.name];
    if (preferred)
      assert.ok(options.includes(preferred), `variable ${v.name} lacks ${preferred}: ${options.join(', ')}`);
    values[v.name] = preferred ?? options[0]!;
  }
  return values;
}

// Every option of every fixed-choice variable, one variable at a time (the others at their defaults):
// the phase diagram's axis and metric lists make the full product thousands of combinations.
export function customChoices(vars: VariableJson[]): Record<string, string>[] {
  return vars
    .filter((x) => x.type === 'custom')
    .flatMap((v) => v.options!.map((o) => ({ [v.name]: o.value })));
}

// Runs each panel's SQL; checks the columns its panel reads and, unless exempted, that rows came back.
export async function runPanels(
  db: pg.Pool,
  file: string,
  panels: PanelJson[],
  values: VariableValues,
  requireRows: boolean | ((title: string) => boolean),
): Promise<void> {
  for (const panel of panels) {
    for (const target of panel.targets) {
      const where = `${file} / ${panel.title} with ${JSON.stringify(values)}`;
      const expected = PANEL_QUERIES.find((q) => q.sql === target.rawSql)!.columns;
      let result: pg.QueryResult;
      try {
        result = await db.query(expand(target.rawSql, values));
      } catch (err) {
        assert.fail(`${where}: ${(err as Error).message}`);
      }
      assert.deepEqual(
        result.fields.map((f) => f.name),
        [...expected],
        where,
      );
      const rowsNeeded = typeof requireRows === 'function' ? requireRows(panel.title) : requireRows;
      if (rowsNeeded) assert.ok(result.rows.length > 0, `${where}: no rows`);
    }
  }
}

// Every option of the named query variables (those a dashboard has), one at a time, the others as
// resolved from `chosen`: the metric and axis lists depend on the sweep, so they are query variables.
export async function queryChoices(
  db: pg.Pool,
  vars: VariableJson[],
  names: string[],
  chosen: Record<string, string>,
): Promise<Record<string, string>[]> {
  const values = await resolveVariables(db, vars, chosen);
  const out: Record<string, string>[] = [];
  for (const v of vars.filter((x) => x.type === 'query' && names.includes(x.name))) {
    const { rows, fields } = await db.query(expand(String(v.query), values));
    const column = fields.some((f) => f.name === '__value') ? '__value' : fields[0]!.name;
    for (const r of rows as Record<string, unknown>[]) out.push({ ...chosen, [v.name]: String(r[column]) });
  }
  return out;
}
