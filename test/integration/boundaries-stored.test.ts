// The boundaries of a refined sweep come from its stored results only: `phasesweep boundaries`
// computes them again from the store, and `show --json` and `export --boundaries` then carry each
// group's crossing with its interval over seeds (the same numbers the pure bootstrap gives on the
// stored outcomes), the grid bracket, the seeds, numeric group order and the slope with the groups
// it left out. Postgres only: no Temporal, no training.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { insertSweepCells } from '../../store/cells.ts';
import { migrate } from '../../store/migrate.ts';
import { createPool } from '../../store/pool.ts';
import { writeResults, type ResultRow } from '../../store/results.ts';
import { createSweep } from '../../store/sweeps.ts';
import { expandCells } from '../../sweep/cells.ts';
import { crossingInterval } from '../../sweep/crossing-interval.ts';
import { parseSpecText, specHash } from '../../sweep/spec.ts';
import { TRAINER_VERSION } from '../../trainer/index.ts';
import { runPhasesweep } from '../helpers/stack.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { rng, syntheticResult } from '../helpers/store-fixtures.ts';

// n_labels listed out of order: text order of the stored keys would put 16 before 4.
const SPEC = `
name: stored-boundaries
method: supervised
grid:
  n_labels: [16, 4, 64, 256]
  snr: { geomspace: [0.25, 1.0, 8] }
  seed: { range: [0, 3] }
fixed: { d: 40, m: 6, q: 3, steps: 100, n_test: 200 }
refine: { axis: snr, metric: test_error, threshold: 0.25, resolution: 0.05 }
`;

let stopPostgres: (() => Promise<void>) | undefined;
let pool: pg.Pool;
let env: NodeJS.ProcessEnv;
const results: ResultRow[] = [];
const cellsOf = new Map<string, { n: number; snr: number; seed: number }>();

before(async () => {
  const server = await startTestPostgres();
  stopPostgres = server.stop;
  await migrate(server.url);
  pool = createPool(server.url);
  env = { DATABASE_URL: server.url };
  for (const [id, text] of [
    ['refined', SPEC],
    ['plain', SPEC.replace(/^refine:.*$/m, '')],
  ] as const) {
    const spec = parseSpecText(text, `${id}.yaml`);
    const cells = expandCells(spec);
    await createSweep(pool, {
      id,
      name: id,
      spec,
      specHash: specHash(spec),
      trainerVersion: TRAINER_VERSION,
    });
    await insertSweepCells(pool, id, cells);
    if (id !== 'refined') continue;
    const random = rng(11);
    for (const c of cells) {
      // n = 256 crosses below the grid's first SNR: a group with no crossing, left out of the slope.
      const result = syntheticResult(c, id, random);
      results.push(result);
      cellsOf.set(c.key, { n: c.params.n_labels, snr: c.params.snr, seed: c.params.seed });
    }
    await writeResults(pool, results);
  }
});

after(async () => {
  await pool?.end();
  await stopPostgres?.();
});

interface Shown {
  n_labels: number;
  kind: string;
  crossing: number | null;
  ci95: [number, number] | null;
  seeds: number;
  no_crossing: number;
  grid_bracket: [number, number] | null;
}

test('boundaries computes them from stored results; show --json and export carry ci95, seeds, grid_bracket', async () => {
  const before = await runPhasesweep(['show', 'refined', '--json'], env);
  assert.equal(before.code, 0, before.stderr);
  assert.deepEqual(JSON.parse(before.stdout).boundaries, [], 'nothing stored before a round or the command');

  const computed = await runPhasesweep(['boundaries', 'refined', '--json'], env);
  assert.equal(computed.code, 0, computed.stderr);
  const shown = await runPhasesweep(['show', 'refined', '--json'], env);
  assert.equal(shown.code, 0, shown.stderr);
  const json = JSON.parse(shown.stdout) as {
    boundaries: Shown[];
    boundary_slopes: { slope: number; ci95: [number, number]; groups: number; left_out: unknown[] }[];
  };
  assert.deepEqual(json.boundaries, JSON.parse(computed.stdout).boundaries);
  assert.deepEqual(
    json.boundaries.map((b) => b.n_labels),
    [4, 16, 64, 256],
    'numeric order',
  );

  for (const b of json.boundaries) {
    assert.equal('bracket' in b, false);
    // The same bootstrap, run here on the outcomes written to the store, gives the stored numbers.
    const cells = results.flatMap((r) => {
      const c = cellsOf.get(r.cell_key)!;
      return c.n === b.n_labels ? [{ at: c.snr, seed: c.seed, value: r.test_error }] : [];
    });
    const expected = crossingInterval(cells, { threshold: 0.25, scale: 'log' });
    assert.equal(b.seeds, 3);
    assert.equal(b.crossing, expected.crossing);
    assert.deepEqual(b.ci95, expected.ci95);
    assert.equal(b.no_crossing, expected.noCrossing);
    if (b.n_labels === 256) {
      assert.deepEqual([b.kind, b.crossing, b.ci95, b.grid_bracket], ['all_below', null, null, null]);
      continue;
    }
    assert.equal(b.kind, 'crossing');
    const [low, high] = b.grid_bracket!;
    assert.ok(low < b.crossing! && b.crossing! <= high);
    assert.ok(b.ci95![0] <= b.crossing! && b.crossing! <= b.ci95![1]);
  }
  const [slope] = json.boundary_slopes;
  assert.equal(slope.groups, 3);
  assert.deepEqual(slope.left_out, [{ x: 256, reason: 'no_crossing' }]);
  assert.ok(slope.ci95[0] < slope.slope && slope.slope < slope.ci95[1]);

  const csv = await runPhasesweep(['export', 'refined', '--boundaries'], env);
  assert.equal(csv.code, 0, csv.stderr);
  const [header, ...rows] = csv.stdout.trim().split('\n');
  const columns = header.split(',');
  for (const name of [
    'crossing',
    'ci95_low',
    'ci95_high',
    'seeds',
    'grid_bracket_low',
    'grid_bracket_high',
  ]) {
    assert.ok(columns.includes(name), `${name} in ${header}`);
  }
  assert.deepEqual(
    rows.map((r) => Number(r.split(',')[columns.indexOf('n_labels')])),
    [4, 16, 64, 256],
  );
  assert.equal(Number(rows[0].split(',')[columns.indexOf('ci95_low')]), json.boundaries[0].ci95![0]);
});

test('boundaries on a sweep without refine: is bad input, one line, exit 2', async () => {
  const run = await runPhasesweep(['boundaries', 'plain'], env);
  assert.equal(run.code, 2);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  assert.match(run.stderr, /sweep plain has no refine: section/);
});
