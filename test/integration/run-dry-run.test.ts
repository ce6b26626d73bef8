// `run --dry-run` needs the database only: it counts a spec's cells and cache hits and estimates the
// CPU time from the stored timings of cells of the same method and shape, and starts nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPool } from '../../store/pool.ts';
import { migrate } from '../../store/migrate.ts';
import { loadSpecFile } from '../../infra/spec-file.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { storeSyntheticSweep } from '../helpers/store-fixtures.ts';
import { runPhasesweep } from '../helpers/stack.ts';
import { queryRows, writeSpec } from '../helpers/sweeps.ts';

describe('run --dry-run', () => {
  let pg: Awaited<ReturnType<typeof startTestPostgres>>;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const fixed = { d: 50, m: 10, q: 3, steps: 300, n_test: 100 };

  before(async () => {
    pg = await startTestPostgres();
    await migrate(pg.url);
    dir = mkdtempSync(join(tmpdir(), 'phasesweep-dry-run-'));
    // Nothing answers at this Temporal address: a dry run must not need it.
    env = { PHASESWEEP_HOME: dir, DATABASE_URL: pg.url, TEMPORAL_ADDRESS: '127.0.0.1:1', NO_COLOR: '1' };
    // A trained sweep of n_labels 4: four results, 100 and 300 ms each per SNR (mean 200 ms).
    const trainedFile = writeSpec(dir, 'trained', {
      method: 'supervised',
      grid: { n_labels: [4], snr: [0.5, 1.0], seed: { range: [0, 2] } },
      fixed,
    });
    const spec = await loadSpecFile(trainedFile);
    const pool = createPool(pg.url, { max: 2 });
    try {
      await storeSyntheticSweep(pool, 'trained-1', spec, (cell) => ({
        wall_ms: cell.params.snr === 0.5 ? 100 : 300,
      }));
    } finally {
      await pool.end();
    }
  });
  after(async () => {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts cells and cache hits, and estimates from the same shape only; starts nothing', async () => {
    const specFile = writeSpec(dir, 'wider', {
      method: 'supervised',
      grid: { n_labels: [4, 8], snr: [0.5, 1.0, 2.0], seed: { range: [0, 2] } },
      fixed,
    });
    const json = await runPhasesweep(['run', specFile, '--dry-run', '--json'], env, 60_000);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), {
      spec: specFile,
      name: 'wider',
      refine: false,
      cells: 12,
      cached: 4,
      to_train: 8,
      // n_labels 4 at SNR 2: two seeds at the 200 ms mean; n_labels 8 has no stored timings.
      estimated_cells: 2,
      cpu_s: 0.4,
      shapes: 2,
      shapes_without_timing: 1,
    });
    const text = await runPhasesweep(['run', specFile, '--dry-run'], env, 60_000);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /cells\s+12 \(4 already stored: cache hits; 8 to train\)/);
    assert.match(
      text.stdout,
      /estimate\s+0\.4 CPU s for 2 cells, .*; 6 cells of 1 other shape\(s\) have no stored timings/,
    );
    assert.match(text.stdout, /nothing was started/);
    const sweeps = await queryRows<{ id: string }>(pg.url, 'SELECT id FROM sweeps');
    assert.deepEqual(sweeps, [{ id: 'trained-1' }]);
  });

  it('says so when no cell of the same method and shape has a stored timing', async () => {
    const specFile = writeSpec(dir, 'unseen', {
      method: 'supervised',
      grid: { n_labels: [16], snr: [0.5], seed: { range: [0, 2] } },
      fixed,
    });
    const run = await runPhasesweep(['run', specFile, '--dry-run'], env, 60_000);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /estimate\s+none: no stored timings of cells of the same method and shape yet/);
  });

  it('a malformed spec is bad input, as without --dry-run', async () => {
    const specFile = writeSpec(dir, 'broken', {
      method: 'supervised',
      grid: { n_labels: [4] },
      fixed: { d: -1 },
    });
    const run = await runPhasesweep(['run', specFile, '--dry-run'], env, 60_000);
    assert.equal(run.code, 2, run.stderr);
  });
});
