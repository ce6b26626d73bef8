import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { insertSweepCells } from '../../store/cells.ts';
import { migrate } from '../../store/migrate.ts';
import { createPool } from '../../store/pool.ts';
import { writeResults } from '../../store/results.ts';
import { createSweep } from '../../store/sweeps.ts';
import { expandCells } from '../../sweep/cells.ts';
import { parseSpecText, specHash } from '../../sweep/spec.ts';
import type { DriftReport } from '../../sweep/drift.ts';
import { TRAINER_VERSION, trainCells } from '../../trainer/index.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { runPhasesweep } from '../helpers/stack.ts';

// drift on sweeps the trainer really trained (a small d and the plain-JS backend keep it to seconds):
// the same grid (points at chance and points at 0) with disjoint seeds, and the same grid with a
// learning rate 5000 times lower, which moves the boundary to higher SNR.
const spec = (name: string, seeds: [number, number], lr: number, snr = '[0.1, 0.25, 0.5, 1.0, 2.0, 4.0]') => `
name: ${name}
method: supervised
grid:
  n_labels: [16, 64]
  snr: ${snr}
  seed: { range: [${seeds[0]}, ${seeds[1]}] }
fixed: { d: 50, m: 5, q: 3, sigma0: 0.01, lr: ${lr}, steps: 200, n_test: 200 }
`;

// `version` stands for another trainer version: the same cells under other keys, trained again.
async function storeTrainedSweep(pool: pg.Pool, id: string, text: string, version = ''): Promise<void> {
  const parsed = parseSpecText(text, `${id}.yaml`);
  const cells = expandCells(parsed).map((c) => ({ ...c, key: c.key + version }));
  await createSweep(pool, {
    id,
    name: id,
    spec: parsed,
    specHash: specHash(parsed),
    trainerVersion: TRAINER_VERSION,
  });
  await insertSweepCells(pool, id, cells);
  const results = await trainCells(
    cells.map((c) => c.params),
    { backend: 'js' },
  );
  await writeResults(
    pool,
    results.map(({ curve: _curve, ...r }, i) => ({
      ...r,
      cell_key: cells[i]!.key,
      worker_id: 'test',
      trainer_version: TRAINER_VERSION,
      sweep_id: id,
    })),
  );
}

describe('drift on trained sweeps', () => {
  let db: { url: string; stop(): Promise<void> };
  let pool: pg.Pool;
  let dir: string;
  const cli = (...args: string[]) =>
    runPhasesweep(args, { DATABASE_URL: db.url, NO_COLOR: '1', PHASESWEEP_HOME: dir });
  const drift = async (a: string, b: string) => {
    const r = await cli('drift', a, b, '--json');
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as DriftReport;
  };

  before(async () => {
    db = await startTestPostgres();
    await migrate(db.url);
    pool = createPool(db.url);
    dir = mkdtempSync(join(tmpdir(), 'phasesweep-drift-'));
    await storeTrainedSweep(pool, 'base', spec('base', [0, 6], 1));
    await storeTrainedSweep(pool, 'reseeded', spec('reseeded', [6, 12], 1));
    await storeTrainedSweep(pool, 'slow', spec('slow', [0, 6], 0.0002));
    await storeTrainedSweep(pool, 'other-snrs', spec('other-snrs', [0, 2], 1, '[0.3, 3.0]'));
    // The same spec again: every cell is the stored one (a nightly rerun without a trainer change).
    await storeTrainedSweep(pool, 'rerun', spec('base', [0, 6], 1));
    // The same spec under another trainer version: the same seeds retrained.
    await storeTrainedSweep(pool, 'retrained', spec('base', [0, 6], 1), '-v2');
  });
  after(async () => {
    await pool?.end();
    await db?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the same spec with disjoint seeds flags nothing, at chance level and at 0', async () => {
    const report = await drift('base', 'reseeded');
    assert.deepEqual([report.compared, report.tested, report.paired], [12, 12, 0]);
    assert.deepEqual(report.settings_differ, []);
    const { rows } = await pool.query<{ snr: number; mean_test_error: number }>(
      `SELECT snr, mean_test_error FROM grid_point_stats WHERE sweep_id = 'base'`,
    );
    assert.ok(
      rows.some((r) => r.mean_test_error > 0.4),
      'some points at chance',
    );
    assert.ok(
      rows.some((r) => r.mean_test_error < 0.02),
      'some points at 0',
    );
    assert.deepEqual(report.moved, []);
    assert.equal((await cli('drift', 'base', 'reseeded', '--fail-on-drift')).code, 0);
  });

  it('a far lower learning rate: names the setting and flags the points whose error moved', async () => {
    const report = await drift('base', 'slow');
    assert.deepEqual(report.settings_differ, [{ setting: 'lr', a: 1, b: 0.0002 }]);
    assert.equal(report.compared, 12);
    const means = async (id: string) =>
      new Map(
        (
          await pool.query<{ n_labels: number; snr: number; mean_test_error: number }>(
            `SELECT n_labels, snr, mean_test_error FROM grid_point_stats WHERE sweep_id = $1`,
            [id],
          )
        ).rows.map((r) => [`${r.n_labels}|${r.snr}`, r.mean_test_error]),
      );
    const [a, b] = [await means('base'), await means('slow')];
    const bigMoves = [...a.keys()].filter((k) => Math.abs(b.get(k)! - a.get(k)!) > 0.25);
    const unmoved = [...a.keys()].filter((k) => Math.abs(b.get(k)! - a.get(k)!) < 0.05);
    assert.ok(bigMoves.length > 0, 'the lower learning rate moved the boundary');
    const flagged = report.moved.map((m) => `${m.n_labels}|${m.snr}`);
    for (const k of bigMoves) assert.ok(flagged.includes(k), `${k} moved but was not flagged`);
    for (const k of unmoved) assert.ok(!flagged.includes(k), `${k} did not move but was flagged`);

    const text = await cli('drift', 'base', 'slow', '--fail-on-drift');
    assert.equal(text.code, 1);
    assert.match(
      text.stdout,
      /fixed settings differ \(base → slow\): lr 1 → 0\.0002\. The sweeps measure different things/,
    );
    assert.match(text.stdout, new RegExp(`${report.moved.length} of 12 grid points moved \\(base → slow\\)`));
    // Same seeds on both sides, so every point is tested on its per-seed differences.
    assert.deepEqual([report.tested, report.paired], [12, 12]);
  });

  it('a rerun that is all cache hits says nothing was retrained instead of "0 moved"', async () => {
    const report = await drift('base', 'rerun');
    assert.deepEqual([report.compared, report.retrained, report.tested], [12, 0, 0]);
    const text = await cli('drift', 'base', 'rerun');
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^nothing retrained: every cell is a cache hit \(12 grid points, base → rerun\)/,
    );
    assert.doesNotMatch(text.stdout, /moved/);
  });

  it('the same seeds retrained (another trainer version) are tested pairwise', async () => {
    const report = await drift('base', 'retrained');
    // The trainer is deterministic: the same seeds give the same errors, every difference is 0.
    assert.deepEqual([report.compared, report.retrained, report.tested, report.paired], [12, 12, 12, 12]);
    assert.deepEqual(report.moved, []);
    const text = await cli('drift', 'base', 'retrained');
    assert.match(text.stdout, /0 of 12 grid points moved/);
    assert.match(text.stdout, /tested: 12 on per-seed differences \(same seeds retrained\), 0 by Welch/);
  });

  it('no shared grid point: says so and exits 2', async () => {
    const r = await cli('drift', 'base', 'other-snrs');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no grid point is shared by base \(12 points\) and other-snrs \(4 points\)/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
