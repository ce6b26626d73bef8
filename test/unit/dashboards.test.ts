import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAll, PANEL_QUERIES } from '../../dashboards/catalog.ts';
import { DATASOURCE_TYPE, DATASOURCE_UID } from '../../dashboards/datasource.ts';
import { interpolate, variablesIn } from '../helpers/grafana-interpolate.ts';
import { NUMERIC_AXES, RESULT_METRICS } from '../../sweep/axes.ts';

interface Target {
  refId: string;
  datasource?: { type?: string; uid?: string };
  rawSql?: string;
  format?: string;
  rawQuery?: boolean;
  editorMode?: string;
}
interface PanelJson {
  id?: number;
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  transformations?: { id: string; options: Record<string, unknown> }[];
  options?: Record<string, unknown>;
}
interface VariableJson {
  name: string;
  type: string;
  query?: unknown;
  datasource?: { uid?: string };
  current?: { value?: unknown };
  options?: { value: string; selected?: boolean }[];
}

const built = buildAll();
const panelsOf = (d: (typeof built)[number]) => (d.dashboard.panels ?? []) as unknown as PanelJson[];
const variablesOf = (d: (typeof built)[number]) =>
  (d.dashboard.templating?.list ?? []) as unknown as VariableJson[];

test('four dashboards with distinct uids, each with panels and unique panel ids', () => {
  assert.deepEqual(
    built.map((b) => b.file),
    ['phase-diagram.json', 'simclr-vs-supervised.json', 'operations.json', 'nightly.json'],
  );
  assert.equal(new Set(built.map((b) => b.dashboard.uid)).size, built.length);
  for (const b of built) {
    const ids = panelsOf(b).map((p) => p.id);
    assert.ok(ids.length >= 3, `${b.file} has ${ids.length} panels`);
    assert.equal(new Set(ids).size, ids.length, `${b.file}: duplicate panel ids`);
    assert.ok(ids.every((id) => typeof id === 'number' && id > 0));
  }
});

test('every panel uses the provisioned datasource and has SQL targets with known columns', () => {
  for (const b of built) {
    for (const panel of panelsOf(b)) {
      const where = `${b.file} / ${panel.title}`;
      assert.deepEqual(panel.datasource, { type: DATASOURCE_TYPE, uid: DATASOURCE_UID }, where);
      assert.ok((panel.targets ?? []).length >= 1, `${where}: no targets`);
      for (const target of panel.targets ?? []) {
        assert.equal(target.datasource?.uid, DATASOURCE_UID, where);
        assert.equal(target.datasource?.type, DATASOURCE_TYPE, where);
        assert.equal(target.rawQuery, true, where);
        assert.equal(target.editorMode, 'code', where);
        assert.ok(target.rawSql && target.rawSql.length > 20, `${where}: empty SQL`);
        const known = PANEL_QUERIES.find((q) => q.sql === target.rawSql);
        assert.ok(known, `${where}: SQL not in the catalogue, so its columns are unchecked`);
        assert.equal(target.format, known.format ?? 'table', where);
      }
    }
  }
});

test('heatmaps: no calculation, a colour palette, zero values shown, pivoted to one column per y level', () => {
  const heatmaps = built.flatMap((b) => panelsOf(b).filter((p) => p.type === 'heatmap'));
  assert.ok(heatmaps.length >= 2);
  for (const panel of heatmaps) {
    const options = panel.options as {
      calculate: boolean;
      color: { steps: number; mode: string };
      filterValues?: { le?: number };
    };
    assert.equal(options.calculate, false, panel.title);
    assert.ok(options.color.steps > 0, `${panel.title}: color steps ${options.color.steps}`);
    assert.equal(options.color.mode, 'scheme');
    // Grafana hides cells <= le; gains are negative, errors are 0, so le must sit below both.
    const le = options.filterValues?.le;
    assert.ok(le !== undefined && le < -1, `${panel.title}: filterValues.le = ${le} hides values`);
    const matrix = panel.transformations?.find((t) => t.id === 'groupingToMatrix');
    const columns = PANEL_QUERIES.find((q) => q.sql === panel.targets?.[0]?.rawSql)!.columns;
    // Rows are the query's first column (x), one matrix column per value of its second (y).
    assert.deepEqual(matrix?.options, {
      columnField: columns[1],
      rowField: columns[0],
      valueField: 'value',
      emptyValue: 'null',
    });
  }
});

test('every template variable used in SQL is defined, and variable queries use only earlier variables', () => {
  for (const b of built) {
    const vars = variablesOf(b);
    const names = vars.map((v) => v.name);
    vars.forEach((v, i) => {
      if (v.type !== 'query') return;
      assert.equal(v.datasource?.uid, DATASOURCE_UID, `${b.file} variable ${v.name}`);
      for (const used of variablesIn(String(v.query))) {
        assert.ok(
          names.slice(0, i).includes(used),
          `${b.file}: variable ${v.name} uses $${used} defined after it`,
        );
      }
    });
    for (const panel of panelsOf(b)) {
      for (const target of panel.targets ?? []) {
        for (const used of variablesIn(target.rawSql ?? '')) {
          assert.ok(names.includes(used), `${b.file} / ${panel.title}: $${used} is not a dashboard variable`);
        }
      }
      for (const used of variablesIn(panel.title ?? '')) assert.ok(names.includes(used), `${panel.title}`);
    }
  }
});

test('every template variable reaches SQL as a quoted literal, whatever value the URL gives it', () => {
  // A variable's value can come from the dashboard URL (var-sweep=...), so none is pasted into SQL
  // bare or between hand-written quotes: Grafana's :sqlstring format escapes quotes.
  for (const b of built) {
    const sqls = [
      ...panelsOf(b).flatMap((p) => (p.targets ?? []).map((t) => t.rawSql ?? '')),
      ...variablesOf(b).map((v) => (v.type === 'query' ? String(v.query ?? '') : '')),
    ];
    for (const sql of sqls) {
      for (const m of sql.matchAll(/\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)[^\]]*\]\]|\$(?!__)(\w+)/g)) {
        if (m[1]?.startsWith('__')) continue;
        assert.equal(m[2], 'sqlstring', `${b.file}: ${m[0]} is not quoted by Grafana in\n${sql}`);
      }
    }
  }
  const sql = interpolate('SELECT * FROM sweep_counts(${sweep:sqlstring}) LIMIT ${runs:sqlstring}', {
    range: { from: new Date(0), to: new Date(1) },
    interval: '1m',
    variables: { sweep: "x') UNION SELECT pg_sleep(10) --", runs: '7' },
  });
  assert.equal(sql, "SELECT * FROM sweep_counts('x'') UNION SELECT pg_sleep(10) --') LIMIT '7'");
});

test('interpolate expands macros and variables the way the Postgres datasource does', () => {
  const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') };
  const sql = interpolate(
    "SELECT $__timeGroupAlias(t, $__interval), $__timeGroup(t, '1m') FROM x WHERE $__timeFilter(t) AND a = '${a}' AND b IN ($b) AND c = $c AND $__timeFrom() < $__timeTo() AND i = $__interval_ms",
    { range, interval: '5m', variables: { a: "it's", b: ['p', "q'r"], c: '3' } },
  );
  assert.equal(
    sql,
    "SELECT floor(extract(epoch from t)/300)*300 AS \"time\", floor(extract(epoch from t)/60)*60 FROM x WHERE t BETWEEN '2026-01-01T00:00:00.000Z' AND '2026-01-02T00:00:00.000Z' AND a = 'it's' AND b IN ('p','q''r') AND c = 3 AND '2026-01-01T00:00:00.000Z' < '2026-01-02T00:00:00.000Z' AND i = 300000",
  );
  assert.throws(() => interpolate('SELECT $missing', { range, interval: '1m', variables: {} }), /\$missing/);
  assert.throws(
    () => interpolate('SELECT $__unknownMacro(x)', { range, interval: '1m', variables: {} }),
    /unknownMacro/,
  );
  assert.deepEqual(variablesIn("x = '${sweep}' AND y = $n AND [[z:raw]] AND $__timeFilter(t)"), [
    'sweep',
    'n',
    'z',
  ]);
});

test("phase diagram: x, y and metric choose from the sweep's parameter and metric lists, quoted in every query", () => {
  const phase = built.find((b) => b.file === 'phase-diagram.json')!;
  const vars = variablesOf(phase);
  // Query variables: the lists are the chosen sweep's (for a program's sweep its own names, README
  // "A program's metrics"); for a built-in sweep the trainer's, in its order, the default first
  // (test/integration/dashboards-sql.test.ts runs them).
  const query = (name: string) => String(vars.find((v) => v.name === name && v.type === 'query')!.query);
  for (const axis of NUMERIC_AXES)
    for (const v of ['x', 'y']) assert.ok(query(v).includes(`'${axis}'`), axis);
  for (const metric of RESULT_METRICS) assert.ok(query('metric').includes(`'${metric}'`), metric);
  assert.ok(!query('x').includes("'seed'") && !query('x').includes("'projection_head'"), 'numeric, no seed');
  assert.match(query('x'), /ORDER BY name <> 'n_labels'/);
  assert.match(query('y'), /ORDER BY name <> 'snr'/);
  // The free-form variables reach SQL only as quoted literals, never pasted bare.
  const sqls = [
    ...panelsOf(phase).flatMap((p) => (p.targets ?? []).map((t) => t.rawSql ?? '')),
    ...vars.map((v) => String(v.query ?? '')),
  ];
  for (const sql of sqls) {
    assert.doesNotMatch(sql, /\$\{(x|y|metric|facet)\}|\$(x|y|metric|facet)\b/, sql);
  }
  assert.ok(sqls.some((sql) => sql.includes('g.params ->> ${x:sqlstring}')));
  // A hostile value stays inside its string literal.
  const sql = interpolate('SELECT params ->> ${x:sqlstring}', {
    range: { from: new Date(0), to: new Date(1) },
    interval: '1m',
    variables: { x: "snr'; DROP TABLE results; --" },
  });
  assert.equal(sql, "SELECT params ->> 'snr''; DROP TABLE results; --'");
});

test('phase diagram: the boundary table has a traced column, and the boundary curve marks traced rows', () => {
  const phase = built.find((b) => b.file === 'phase-diagram.json')!;
  type Override = { matcher: { id: string; options: string }; properties: { id: string; value: unknown }[] };
  type Panel = PanelJson & { fieldConfig?: { overrides?: Override[] } };
  const panels = panelsOf(phase) as Panel[];
  const columnsOf = (panel: Panel) => PANEL_QUERIES.find((q) => q.sql === panel.targets![0]!.rawSql)!.columns;
  const table = panels.find((p) => p.title === 'Refined boundary per group (refine:)')!;
  assert.ok(columnsOf(table).includes('traced'));
  assert.match(table.targets![0]!.rawSql!, /\bb\.traced\b/);
  const curve = panels.find((p) => p.title === 'Estimated boundary vs theory')!;
  assert.equal(curve.type, 'trend');
  assert.ok(columnsOf(curve).includes('snr_star_traced'));
  // The traced rows' crossings as points of their own over the curve through every row.
  const marked = curve.fieldConfig!.overrides!.find((o) => o.matcher.options === 'snr_star_traced')!;
  assert.equal(marked.matcher.id, 'byName');
  const props = Object.fromEntries(marked.properties.map((p) => [p.id, p.value]));
  assert.equal(props['custom.drawStyle'], 'points');
  assert.equal(props['custom.showPoints'], 'always');
  assert.ok((props['custom.pointSize'] as number) > 6, 'larger than the curve points');
  assert.deepEqual(props.color, { mode: 'fixed', fixedColor: 'orange' });
});
