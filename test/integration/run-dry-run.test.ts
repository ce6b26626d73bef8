// `run --dry-run` needs the database only: it counts a spec's cells and cache hits and estimates the
// CPU time from the stored timings of cells of the same method and shape, and starts nothing.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPool } from '../../store/pool.ts';
import { migrate } from '../../store/migrate.ts';
import { loadSpecFile } from '../../infra/spec-file.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import {
  commandCells,
  insertCommandCells,
  storeSyntheticSweep,
  writeCommandResults,
} from '../helpers/store-fixtures.ts';
import { createSweep } from '../../store/sweeps.ts';
import { codeHash } from '../../workers/command/code-hash.ts';
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
      estimated_from: 'shape',
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

  it("a program's spec: estimated from its own code hash's results, else its argv's, saying which", async () => {
    const prog = join(dir, 'prog');
    mkdirSync(prog);
    writeFileSync(join(prog, 'train.py'), 'print("v1")\n');
    const specFile = writeSpec(prog, 'my-model', {
      method: 'command',
      command: { argv: ['python3', 'train.py'], metrics: ['err'], code: ['train.py'] },
      grid: { width: [1, 2, 3], seed: { range: [0, 2] } },
    });
    const dryRun = async () => {
      const json = await runPhasesweep(['run', specFile, '--dry-run', '--json'], env, 60_000);
      assert.equal(json.code, 0, json.stderr);
      const text = await runPhasesweep(['run', specFile, '--dry-run'], env, 60_000);
      assert.equal(text.code, 0, text.stderr);
      return { report: JSON.parse(json.stdout) as Record<string, unknown>, text: text.stdout };
    };
    const pool = createPool(pg.url, { max: 2 });
    // A stored run of a program: its spec names argv and code hash (as a worker's registration writes
    // it), its results the code hash and their wall times.
    const storeProgramRun = async (id: string, argv: string[], hash: string, wallMs: number[]) => {
      await createSweep(pool, {
        id,
        name: id,
        spec: { name: id, method: 'command', command: { argv, metrics: ['err'], code_hash: hash } },
        specHash: id,
        trainerVersion: 'command-1',
      });
      const cells = commandCells(id, { width: [10] }, wallMs.length);
      await insertCommandCells(pool, id, cells);
      await writeCommandResults(
        pool,
        cells.map((c) => ({ cell_key: c.key, sweep_id: id, metrics: { err: 0.1 }, code_hash: hash })),
      );
      for (const [i, c] of cells.entries())
        await pool.query('UPDATE results SET wall_ms = $2 WHERE cell_key = $1', [c.key, wallMs[i]]);
    };
    try {
      const v1 = await codeHash(prog, ['train.py']);
      const none = await dryRun();
      assert.equal(none.report.cpu_s, null);
      assert.equal(none.report.estimated_from, null);
      assert.match(
        none.text,
        new RegExp(
          `estimate\\s+none: no stored results of this program's code \\(hash ${v1.slice(0, 12)}\\) or of \`python3 train.py\` yet`,
        ),
      );

      // Another program's results (other argv, other code) are never read.
      await storeProgramRun('other-program', ['./other'], 'other-hash', [100_000]);
      await storeProgramRun('my-model-v1', ['python3', 'train.py'], v1, [1000, 3000]);
      const same = await dryRun();
      assert.deepEqual(
        [same.report.cells, same.report.to_train, same.report.estimated_cells, same.report.cpu_s],
        [6, 6, 6, 12],
      );
      assert.equal(same.report.estimated_from, 'code_hash');
      assert.deepEqual(same.report.program, { code_hash: v1, argv: ['python3', 'train.py'] });
      assert.match(
        same.text,
        new RegExp(
          `estimate\\s+12\\.0 slot s for 6 cells, from the stored wall times of this version of the program \\(code hash ${v1.slice(0, 12)}\\)`,
        ),
      );

      // The program changed: no result of its new code yet, so its argv's earlier versions.
      writeFileSync(join(prog, 'train.py'), 'print("v2")\n');
      const v2 = await codeHash(prog, ['train.py']);
      const byArgv = await dryRun();
      assert.equal(byArgv.report.estimated_from, 'argv');
      assert.equal(byArgv.report.cpu_s, 12);
      assert.match(
        byArgv.text,
        new RegExp(
          `12\\.0 slot s for 6 cells, from the stored wall times of earlier versions of the program run as \`python3 train.py\` \\(none of code hash ${v2.slice(0, 12)} yet\\)`,
        ),
      );
      // Once the new code has results, they are the estimate's.
      await storeProgramRun('my-model-v2', ['python3', 'train.py'], v2, [500]);
      const newer = await dryRun();
      assert.equal(newer.report.estimated_from, 'code_hash');
      assert.equal(newer.report.cpu_s, 3);
    } finally {
      await pool.end();
    }
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
