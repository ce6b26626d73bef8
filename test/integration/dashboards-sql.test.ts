import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { buildAll, PANEL_QUERIES } from '../../dashboards/catalog.ts';
import { recordedDrift } from '../../dashboards/queries/nightly.ts';
import { storeBoundaries, storeSweepBoundaries } from '../../activities/store-boundaries.ts';
import { sweepBoundaries, sweepBoundarySlopes } from '../../store/boundaries.ts';
import { insertSweepCells } from '../../store/cells.ts';
import { gridPoints } from '../../store/grid-points.ts';
import { recordDrift } from '../../store/drift.ts';
import { refineObservations } from '../../store/refine-cells.ts';
import { sweepBoundarySpec } from '../../sweep/boundary-estimate.ts';
import { planRound } from '../../sweep/refine-round.ts';
import { migrate } from '../../store/migrate.ts';
import { createPool } from '../../store/pool.ts';
import { recordFailure, writeResults } from '../../store/results.ts';
import { ensureRoles } from '../../store/roles.ts';
import { createSweep, updateSweep } from '../../store/sweeps.ts';
import { expandCells } from '../../sweep/cells.ts';
import { parseSpecText, specHash } from '../../sweep/spec.ts';
import { SIZE_AXES, theoryExponentSql, theoryLine } from '../../sweep/theory-lines.ts';
import { TRAINER_VERSION } from '../../trainer/index.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import {
  commandCells,
  insertCommandCells,
  rng,
  syntheticCommandResult,
  syntheticResult,
  writeCommandResults,
} from '../helpers/store-fixtures.ts';
import {
  customChoices,
  expand,
  queryChoices,
  panelsOf,
  resolveVariables,
  runPanels,
  variablesOf,
  type VariableJson,
} from '../helpers/dashboard-panels.ts';

// Every panel's SQL, expanded as Grafana would, runs against a real Postgres holding sweeps written
// through the store API (real specs, real cell keys) and is read by the SELECT-only Grafana role.
// Outcomes are the store tests' synthetic ones: training real cells would cost minutes and these
// queries only need rows of the right shape.

const SCHEDULE = 'nightly-dashboards';
const specText = (steps: number) => `
name: dashboards-fixture
method: [supervised, simclr, noop]
grid:
  n_labels: [4, 16, 64]
  n_unlabeled: [100, 400]
  snr: { geomspace: [0.1, 3.0, 5] }
  seed: { range: [0, 3] }
fixed: { d: 40, m: 6, q: 3, steps: ${steps}, n_test: 200, pretrain_steps: 100 }
`;

let stopPostgres: (() => Promise<void>) | undefined;
let admin: pg.Pool;
let reader: pg.Pool;
const sweeps = {
  lastNight: 'sweep-night-1',
  tonight: 'sweep-night-2',
  running: 'sweep-running',
  design: 'sweep-simclr-design',
  command: 'sweep-command',
};

async function loadSweep(
  id: string,
  steps: number,
  opts: { createdHoursAgo: number; complete: boolean; seed: number },
) {
  const spec = parseSpecText(specText(steps), 'dashboards-fixture.yaml');
  const cells = expandCells(spec);
  await createSweep(admin, {
    id,
    name: spec.name,
    spec,
    specHash: specHash(spec),
    trainerVersion: TRAINER_VERSION,
    scheduleId: opts.complete ? SCHEDULE : null,
  });
  await insertSweepCells(admin, id, cells);
  const random = rng(opts.seed);
  const done = opts.complete ? cells : cells.slice(0, Math.floor(cells.length / 3));
  await writeResults(
    admin,
    done.map((c) => syntheticResult(c, id, random)),
  );
  const started = new Date(Date.now() - opts.createdHoursAgo * 3600_000);
  await updateSweep(admin, id, {
    status: opts.complete ? 'completed' : 'running',
    started_at: started,
    finished_at: opts.complete ? new Date(started.getTime() + 600_000) : null,
  });
  // Spread the runs in time as a nightly schedule would.
  await admin.query('UPDATE sweeps SET created_at = $2 WHERE id = $1', [id, started]);
  await admin.query('UPDATE results SET finished_at = $2 WHERE sweep_id = $1', [
    id,
    new Date(started.getTime() + 300_000),
  ]);
  if (!opts.complete) {
    const failed = cells[cells.length - 1]!;
    await recordFailure(admin, {
      sweep_id: id,
      cell_key: failed.key,
      attempt: 3,
      error: 'injected: out of memory',
    });
  }
}

// A SimCLR sweep over two design choices without a typed column (augment_keep, projection_head).
const DESIGN_SPEC = `
name: simclr-design
method: simclr
grid:
  augment_keep: [0, 0.5, 1]
  projection_head: [identity, mlp]
  snr: [0.1, 0.3, 1.0]
  seed: { range: [0, 2] }
fixed: { n_labels: 4, n_unlabeled: 100, d: 40, m: 6, steps: 100, n_test: 200, pretrain_steps: 100 }
`;

async function loadDesignSweep() {
  const spec = parseSpecText(DESIGN_SPEC, 'simclr-design.yaml');
  const cells = expandCells(spec);
  await createSweep(admin, {
    id: sweeps.design,
    name: spec.name,
    spec,
    specHash: specHash(spec),
    trainerVersion: TRAINER_VERSION,
  });
  await insertSweepCells(admin, sweeps.design, cells);
  const random = rng(7);
  await writeResults(
    admin,
    cells.map((c) => syntheticResult(c, sweeps.design, random)),
  );
  // Older than the nightly runs: the sweep variable's first option stays the newest nightly.
  await admin.query(`UPDATE sweeps SET created_at = now() - interval '3 days' WHERE id = $1`, [
    sweeps.design,
  ]);
}

before(async () => {
  const pgServer = await startTestPostgres();
  stopPostgres = pgServer.stop;
  await migrate(pgServer.url);
  admin = createPool(pgServer.url);
  const readerPassword = 'grafana-reader-pw';
  const { readerRole } = await ensureRoles(admin, { readerPassword });
  const readerUrl = new URL(pgServer.url);
  readerUrl.username = readerRole;
  readerUrl.password = readerPassword;
  reader = createPool(readerUrl.toString());
  await loadSweep(sweeps.lastNight, 1000, { createdHoursAgo: 26, complete: true, seed: 1 });
  await loadSweep(sweeps.tonight, 1001, { createdHoursAgo: 2, complete: true, seed: 2 });
  await loadSweep(sweeps.running, 1002, { createdHoursAgo: 0.5, complete: false, seed: 3 });
  await loadDesignSweep();
  // A user's program (method: command): its parameters and metrics by its own names, a week old so
  // that the defaults stay on tonight's sweep.
  await createSweep(admin, {
    id: sweeps.command,
    name: 'my-model',
    spec: {
      name: 'my-model',
      method: 'command',
      command: { argv: ['./train'], metrics: ['val_err', 'acc'] },
    },
    specHash: 'command-fixture',
    trainerVersion: 'command-1',
  });
  const commandGrid = commandCells(sweeps.command, { n: [16, 64, 256], snr: [0.1, 0.3, 1] }, 3);
  await insertCommandCells(admin, sweeps.command, commandGrid);
  const commandRandom = rng(5);
  await writeCommandResults(
    admin,
    commandGrid.map((c) => syntheticCommandResult(c, sweeps.command, commandRandom)),
  );
  await admin.query(
    `UPDATE sweeps SET status = 'completed', created_at = now() - interval '7 days' WHERE id = $1`,
    [sweeps.command],
  );
  // The boundaries a refine: round would write for tonight's sweep, by the real planner: as if its grid
  // had rows n_labels 4 and 64 and refine.trace had added 16 between them.
  const tonight = parseSpecText(specText(1001), 'dashboards-fixture.yaml');
  const refine = {
    axis: 'snr',
    metric: 'test_error',
    threshold: 0.25,
    resolution: 0.01,
    max_rounds: 8,
    points: 1,
    trace: { axis: 'n_labels', resolution: 0.05 },
  } as const;
  const traced = { ...tonight, grid: { ...tonight.grid, n_labels: [4, 64] }, refine };
  await storeBoundaries(admin, sweeps.tonight, traced, 1, false);
  // Last night's run has no refine: its SNR boundary is what the end of the sweep stores.
  await storeSweepBoundaries(
    admin,
    sweeps.lastNight,
    parseSpecText(specText(1000), 'dashboards-fixture.yaml'),
  );
  await recordDrift(admin, {
    sweep_id: sweeps.tonight,
    baseline_sweep_id: sweeps.lastNight,
    schedule_id: SCHEDULE,
    compared: 30,
    retrained: 12,
    moved: 2,
    points: [],
  });
});

after(async () => {
  await reader?.end();
  await admin?.end();
  await stopPostgres?.();
});

// Values chosen for query variables where the first option would not be the interesting one.
const PREFERRED: Record<string, string> = { sweep: sweeps.tonight, schedule: SCHEDULE };
const resolve = (vars: VariableJson[], chosen: Record<string, string>) =>
  resolveVariables(reader, vars, { ...PREFERRED, ...chosen });

for (const entry of buildAll()) {
  test(`${entry.file}: every panel's SQL runs as the reader role, with its columns and rows`, async () => {
    const vars = variablesOf(entry.dashboard);
    const panels = panelsOf(entry.dashboard);
    // The defaults a user sees first must show data in every panel.
    await runPanels(reader, entry.file, panels, await resolve(vars, {}), true);
    // Every other choice of the fixed-choice variables must at least run and keep its columns.
    const choices = [
      ...customChoices(vars),
      ...(await queryChoices(reader, vars, ['metric', 'x', 'y'], PREFERRED)),
    ];
    for (const choice of choices) {
      await runPanels(reader, entry.file, panels, await resolve(vars, choice), false);
    }
  });
}

test('phase diagram over n_unlabeled for SimCLR and its boundary carry data; drift is seen between runs', async () => {
  const phase = buildAll().find((b) => b.file === 'phase-diagram.json')!.dashboard;
  const vars = variablesOf(phase);
  const values = await resolve(vars, { x: 'n_unlabeled' });
  assert.equal(values.method, 'simclr');
  await runPanels(reader, 'phase-diagram.json', panelsOf(phase), values, true);

  const heatmap = PANEL_QUERIES.find(
    (q) => q.sql.includes('grid_point_stats') && q.columns.join() === 'x,y,value',
  )!;
  const cellsByX = async (xscale: string) => {
    const chosen = await resolve(vars, { x: 'n_labels', xscale });
    const { rows } = await reader.query(expand(heatmap.sql, chosen));
    return rows as { x: number; y: number; value: number }[];
  };
  const log2 = await cellsByX('log2');
  assert.deepEqual([...new Set(log2.map((r) => r.x))].sort(), [2, 4, 6]);
  assert.equal(new Set(log2.map((r) => r.y)).size, 5);
  assert.ok(
    log2.some((r) => r.value === 0) || log2.some((r) => r.value < 0.05),
    'benign cells have ~0 error',
  );
  assert.deepEqual([...new Set((await cellsByX('rank')).map((r) => r.x))].sort(), [1, 2, 3]);

  const boundary = PANEL_QUERIES.find((q) => q.columns.includes('snr_theory'))!;
  const labelsAxis = await resolve(vars, { x: 'n_labels', method: 'supervised' });
  const { rows } = await reader.query(expand(boundary.sql, labelsAxis));
  assert.ok(
    rows.some(
      (r: { snr_star: number | null; snr_theory: number | null }) =>
        r.snr_star !== null && r.snr_theory !== null,
    ),
    `no boundary estimated: ${JSON.stringify(rows)}`,
  );

  const drift = PANEL_QUERIES.find((q) => q.columns.includes('max_abs_drift'))!;
  const [row] = (await reader.query(expand(drift.sql, { schedule: SCHEDULE, runs: '3' }))).rows as {
    max_abs_drift: number;
  }[];
  assert.ok(row!.max_abs_drift > 0, 'two runs with different outcomes show drift');
});

test('the boundary panels read the stored boundaries: crossings, intervals and slope as refine: stored them', async () => {
  const phase = buildAll().find((b) => b.file === 'phase-diagram.json')!.dashboard;
  const vars = variablesOf(phase);
  const values = await resolve(vars, { x: 'n_labels', y: 'snr', method: 'supervised' });
  const stored = (await sweepBoundaries(admin, sweeps.tonight)).filter(
    (b) => b.group_values.method === 'supervised' && b.kind === 'crossing',
  );
  assert.ok(stored.length >= 2, `${stored.length} supervised groups cross`);
  assert.ok(stored.every((b) => b.ci95_low !== null && b.seeds === 3));

  const vsTheory = PANEL_QUERIES.find((q) => q.columns.includes('snr_theory'))!;
  const facet = JSON.parse(String(values.facet)) as Record<string, unknown>;
  const inSlice = stored.filter((b) =>
    Object.entries(b.group_values).every(([k, v]) => k === 'method' || k === 'n_labels' || facet[k] === v),
  );
  assert.ok(inSlice.length >= 2, 'the default slice has groups to draw');
  const { rows } = await reader.query(expand(vsTheory.sql, values));
  assert.deepEqual(
    rows.map((r: Record<string, number>) => [r.n, r.snr_star, r.snr_ci95_low, r.snr_ci95_high]),
    inSlice.map((b) => [b.group_values.n_labels, b.crossing, b.ci95_low, b.ci95_high]),
  );
  // The traced row's crossing is repeated for the panel to mark it; the grid's rows have none.
  assert.ok(inSlice.some((b) => b.traced) && inSlice.some((b) => !b.traced), 'traced and grid rows');
  assert.deepEqual(
    rows.map((r: Record<string, number | null>) => [r.n, r.snr_star_traced]),
    inSlice.map((b) => [b.group_values.n_labels, b.traced ? b.crossing : null]),
  );

  const table = PANEL_QUERIES.find((q) => q.columns.includes('grid_bracket_low'))!;
  const listed = (await reader.query(expand(table.sql, values))).rows as Record<string, unknown>[];
  assert.deepEqual(
    listed.map((r) => [JSON.parse(String(r.group)).n_labels, r.crossing, r.ci95_low, r.seeds, r.traced]),
    (await sweepBoundaries(admin, sweeps.tonight))
      .filter((b) => b.group_values.method === 'supervised')
      .map((b) => [b.group_values.n_labels, b.crossing, b.ci95_low, b.seeds, b.traced]),
    'the table lists the stored rows, n_labels 4, 16, 64 in numeric order, 16 traced',
  );
  assert.ok(listed.some((r) => r.traced === true));

  const slopes = PANEL_QUERIES.find((q) => q.columns.includes('ols95_low'))!;
  const fitted = (await reader.query(expand(slopes.sql, values))).rows as Record<string, unknown>[];
  const storedSlopes = await sweepBoundarySlopes(admin, sweeps.tonight);
  assert.ok(storedSlopes.length > 0);
  assert.deepEqual(
    fitted.map((r) => [r.slope, r.ci95_low, r.ci95_high]),
    storedSlopes.map((s) => [s.slope, s.ci95_low, s.ci95_high]),
  );

  // The SQL crossing is gone: no view computes a boundary of its own.
  const { rows: view } = await admin.query(`SELECT to_regclass('phase_boundary') AS v`);
  assert.equal(view[0].v, null);
});

test('a sweep without refine: has its SNR boundary stored at the end for the boundary panel, not for the CLI', async () => {
  const phase = buildAll().find((b) => b.file === 'phase-diagram.json')!.dashboard;
  const values = await resolve(variablesOf(phase), {
    sweep: sweeps.lastNight,
    x: 'n_labels',
    y: 'snr',
    method: 'supervised',
  });
  const vsTheory = PANEL_QUERIES.find((q) => q.columns.includes('snr_theory'))!;
  const { rows } = await reader.query(expand(vsTheory.sql, values));
  const { rows: stored } = await admin.query<{ n: number; crossing: number; ci95_low: number }>(
    `SELECT (group_values->>'n_labels')::float8 AS n, crossing, ci95_low FROM boundaries
     WHERE sweep_id = $1 AND source = 'sweep' AND kind = 'crossing' AND group_values->>'method' = 'supervised'
     ORDER BY 1`,
    [sweeps.lastNight],
  );
  assert.ok(stored.length >= 2, `${stored.length} stored crossings`);
  assert.deepEqual(
    rows.map((r: Record<string, number>) => [r.n, r.snr_star, r.snr_ci95_low]),
    stored.map((b) => [b.n, b.crossing, b.ci95_low]),
  );
  // Stored from the grid points' seed means and the cells beside each crossing: the crossings, seeds
  // and cells that every cell of the sweep gives, each with an interval over its 3 seeds.
  const scanned = sweepBoundarySpec(parseSpecText(specText(1000), 'dashboards-fixture.yaml'))!;
  const every = planRound(scanned, await refineObservations(admin, sweeps.lastNight, 'test_error', 1), false);
  const { rows: all } = await admin.query<{
    group_key: string;
    crossing: number | null;
    seeds: number;
    cells: number;
    ci95_low: number | null;
  }>(
    `SELECT group_key, crossing, seeds, cells, ci95_low FROM boundaries WHERE sweep_id = $1 AND source = 'sweep'`,
    [sweeps.lastNight],
  );
  assert.equal(all.length, every.boundaries.length);
  for (const b of every.boundaries) {
    const row = all.find((r) => r.group_key === b.groupKey)!;
    assert.deepEqual([row.seeds, row.cells], [b.seeds, b.cells], b.groupKey);
    if (b.crossing === null) assert.equal(row.crossing, null);
    else {
      assert.ok(Math.abs(row.crossing! - b.crossing) < 1e-9, `${row.crossing} vs ${b.crossing}`);
      assert.ok(row.ci95_low !== null, `an interval for ${b.groupKey}`);
    }
  }
  // The CLI's boundaries are refine:'s: none for this sweep.
  assert.deepEqual(await sweepBoundaries(admin, sweeps.lastNight), []);
  assert.deepEqual(await sweepBoundarySlopes(admin, sweeps.lastNight), []);
});

test('phase diagram over two SimCLR design axes: one slice per other setting, the means of gridPoints', async () => {
  const phase = buildAll().find((b) => b.file === 'phase-diagram.json')!.dashboard;
  const vars = variablesOf(phase);
  const points = await gridPoints(admin, sweeps.design);
  const chosen = { sweep: sweeps.design, x: 'augment_keep', y: 'snr', metric: 'pretrain_alignment' };
  // The facet variable offers one slice per head, labelled by the head alone.
  const facet = vars.find((v) => v.name === 'facet')!;
  const { rows: slices } = await reader.query<{ __value: string; __text: string }>(
    expand(String(facet.query), { ...(await resolve(vars, chosen)) }),
  );
  assert.deepEqual(
    slices.map((s) => s.__text),
    ['projection_head=identity', 'projection_head=mlp'],
  );
  const heatmap = PANEL_QUERIES.find(
    (q) => q.sql.includes('grid_point_stats') && q.columns.join() === 'x,y,value',
  )!;
  for (const slice of slices) {
    const values = await resolve(vars, { ...chosen, facet: slice.__value, xscale: 'raw' });
    const { rows } = await reader.query<{ x: number; y: number; value: number }>(expand(heatmap.sql, values));
    const head = slice.__text.split('=')[1];
    const expected = points.filter((p) => p.params?.projection_head === head);
    assert.equal(rows.length, expected.length, `${slice.__text}: one cell per grid point`);
    for (const r of rows) {
      const p = expected.find(
        (pt) => pt.params?.augment_keep === r.x && Math.abs(pt.params.snr - r.y) < 1e-4,
      )!;
      assert.ok(p, `${slice.__text}: no grid point at ${r.x}, ${r.y}`);
      assert.ok(Math.abs(p.metrics.pretrain_alignment.mean! - r.value) < 1e-9);
    }
  }
});

test('the dashboards draw a theory line exactly where the CLI views do, with the same exponent', async () => {
  const cases = ['supervised', 'simclr', 'noop'].flatMap((method) =>
    [1, 1.5, 2, 3, 4].flatMap((q) =>
      [0, 0.1].flatMap((p) =>
        ['test_error', 'signal_alignment'].flatMap((metric) =>
          SIZE_AXES.map((size) => ({ method, q, p, size, metric })),
        ),
      ),
    ),
  );
  const { rows } = await reader.query<{ k: number | null }>(
    `SELECT ${theoryExponentSql({ method: 't.method', q: 't.q', p: 't.p', size: 't.size', metric: 't.metric' })} AS k
     FROM unnest($1::text[], $2::float8[], $3::text[], $4::float8[], $5::text[])
       WITH ORDINALITY AS t(method, q, size, p, metric, i)
     ORDER BY i`,
    [
      cases.map((c) => c.method),
      cases.map((c) => c.q),
      cases.map((c) => c.size),
      cases.map((c) => c.p),
      cases.map((c) => c.metric),
    ],
  );
  const fromSql = rows.map((r) => r.k);
  const fromViews = cases.map((c) => theoryLine(c.method, c.size, c.q, c.p, c.metric)?.exponent ?? null);
  assert.deepEqual(fromSql, fromViews);
  assert.equal(
    fromSql.filter((k) => k !== null).length,
    6,
    'test error only; clean labels: supervised at q = 1, 3, 4 and SimCLR at q = 3, 4; label noise: supervised at q = 1 only',
  );
});

// A sweep at q = 3 with label noise (no theorem of paper-spec: CAO22 is for clean labels, KOU23 for
// q = 1), and one whose refined boundary is of an alignment (no theorem is about it): crossings, but no
// theory line in the boundary panel, as in `show` and `plot`.
test('the boundary panel draws the theory line only for the method, q, p and metric a theorem covers', async () => {
  const phase = buildAll().find((b) => b.file === 'phase-diagram.json')!.dashboard;
  const vars = variablesOf(phase);
  const vsTheory = PANEL_QUERIES.find((q) => q.columns.includes('snr_theory'))!;
  const cases = [
    { id: 'sweep-label-noise', fixed: 'q: 3, p: 0.1', metric: 'test_error', threshold: 0.25 },
    { id: 'sweep-alignment', fixed: 'q: 3', metric: 'signal_alignment', threshold: 0.5 },
    { id: 'sweep-clean', fixed: 'q: 3', metric: 'test_error', threshold: 0.25 },
  ] as const;
  for (const c of cases) {
    const spec = parseSpecText(
      `
name: ${c.id}
method: supervised
grid:
  n_labels: [4, 16, 64]
  snr: { geomspace: [0.1, 3.0, 5] }
  seed: { range: [0, 3] }
fixed: { d: 40, m: 6, ${c.fixed}, steps: 100, n_test: 200 }
`,
      `${c.id}.yaml`,
    );
    const cells = expandCells(spec);
    await createSweep(admin, {
      id: c.id,
      name: spec.name,
      spec,
      specHash: specHash(spec),
      trainerVersion: TRAINER_VERSION,
    });
    await insertSweepCells(admin, c.id, cells);
    const random = rng(11);
    await writeResults(
      admin,
      cells.map((cell) => syntheticResult(cell, c.id, random, { converged: true })),
    );
    await admin.query(`UPDATE sweeps SET created_at = now() - interval '4 days' WHERE id = $1`, [c.id]);
    const refine = {
      axis: 'snr',
      metric: c.metric,
      threshold: c.threshold,
      resolution: 0.01,
      max_rounds: 8,
      points: 1,
    } as const;
    await storeBoundaries(admin, c.id, { ...spec, refine }, 1, false);

    const values = await resolve(vars, { sweep: c.id, x: 'n_labels', y: 'snr', method: 'supervised' });
    const { rows } = await reader.query<{ snr_star: number | null; snr_theory: number | null }>(
      expand(vsTheory.sql, values),
    );
    assert.ok(
      rows.filter((r) => r.snr_star !== null).length >= 2,
      `${c.id}: crossings drawn: ${JSON.stringify(rows)}`,
    );
    const theory = theoryLine('supervised', 'n_labels', 3, c.fixed.includes('p: 0.1') ? 0.1 : 0, c.metric);
    assert.equal(
      rows.every((r) => r.snr_theory !== null),
      theory !== null,
      `${c.id}: a theory line exactly where show and plot draw one: ${JSON.stringify(rows)}`,
    );
    assert.equal(
      rows.every((r) => r.snr_theory === null),
      theory === null,
      `${c.id}: no theory line where show and plot draw none: ${JSON.stringify(rows)}`,
    );
  }
});

test('the nightly dashboard shows how many grid points each drift record retrained', async () => {
  const { rows } = await reader.query<{ sweep_id: string; retrained: number | null; compared: number }>(
    expand(recordedDrift.sql, { schedule: SCHEDULE, runs: '3' }),
  );
  assert.deepEqual(
    rows.map((r) => [r.sweep_id, r.compared, r.retrained]),
    [[sweeps.tonight, 30, 12]],
  );
});

test("the method variable lists every method of the chosen sweep with results, a program's included, and no untrained one", async () => {
  const phase = buildAll().find((b) => b.file === 'phase-diagram.json')!.dashboard;
  const method = variablesOf(phase).find((v) => v.name === 'method')!;
  const options = async (sweep: string) =>
    (await reader.query<{ method: string }>(expand(String(method.query), { sweep }))).rows.map(
      (r) => r.method,
    );
  assert.deepEqual(await options(sweeps.command), ['command']);
  // noop's cells have results too, but it trains nothing (the registry says so).
  assert.deepEqual(await options(sweeps.tonight), ['simclr', 'supervised']);
  // A running sweep lists the methods that have a result so far: those of its cells with one.
  const { rows } = await admin.query<{ method: string }>(
    `SELECT DISTINCT c.method FROM sweep_cells c JOIN results r USING (cell_key)
     WHERE c.sweep_id = $1 AND c.method <> 'noop' ORDER BY 1`,
    [sweeps.running],
  );
  assert.ok(rows.length > 0);
  assert.deepEqual(
    await options(sweeps.running),
    rows.map((r) => r.method),
  );
});

test("phase diagram of a program's sweep: its metrics and numeric parameters by name, the means and intervals of gridPoints", async () => {
  const phase = buildAll().find((b) => b.file === 'phase-diagram.json')!.dashboard;
  const vars = variablesOf(phase);
  const optionsOf = async (name: string, chosen: Record<string, string>) => {
    const v = vars.find((x) => x.name === name)!;
    const values = await resolve(vars, chosen);
    const { rows } = await reader.query<{ name: string }>(expand(String(v.query), values));
    return rows.map((r) => r.name);
  };
  const sweep = { sweep: sweeps.command };
  assert.deepEqual(await optionsOf('metric', sweep), ['acc', 'note', 'val_err']);
  assert.deepEqual(await optionsOf('x', sweep), ['n', 'snr']);
  assert.deepEqual(await optionsOf('y', sweep), ['snr', 'n']);
  // A built-in sweep's lists are the trainer's, test error and n_labels first.
  assert.equal((await optionsOf('metric', {}))[0], 'test_error');
  assert.equal((await optionsOf('x', {}))[0], 'n_labels');

  const values = await resolve(vars, { ...sweep, metric: 'val_err', xscale: 'raw' });
  assert.deepEqual([values.method, values.x, values.y], ['command', 'n', 'snr']);
  await runPanels(reader, 'phase-diagram.json', panelsOf(phase), values, (title) =>
    /over|matrix|Grid points/.test(title),
  );
  const points = await gridPoints(admin, sweeps.command);
  const table = PANEL_QUERIES.find(
    (q) => q.columns.includes('ci95_high') && q.sql.includes('grid_point_stats'),
  )!;
  const { rows } = await reader.query<{ x: number; y: number; n: number; mean: number; ci95_high: number }>(
    expand(table.sql, values),
  );
  assert.equal(rows.length, points.length);
  for (const r of rows) {
    const p = points.find((pt) => pt.values?.n === r.x && pt.values?.snr === r.y)!;
    assert.ok(p, `a grid point at n=${r.x}, snr=${r.y}`);
    assert.equal(r.n, p.metrics.val_err.n);
    assert.ok(Math.abs(r.mean - p.metrics.val_err.mean!) < 1e-12);
    assert.ok(Math.abs(r.ci95_high - p.metrics.val_err.ci95_high!) < 1e-9);
  }
});
