// `curves <sweep> <cell>` shows a cell's stored training curve with its metrics by name: a built-in
// method's curve columns (train_loss, test_error), and a user's program's progress metrics, which are
// stored by name in curves.metrics (method: command). A real Postgres, rows written by the store API.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { migrate } from '../../store/migrate.ts';
import { createPool } from '../../store/pool.ts';
import { writeCurves, type CurveRow } from '../../store/results.ts';
import { createSweep } from '../../store/sweeps.ts';
import { parseSpecText } from '../../sweep/spec.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { runPhasesweep } from '../helpers/stack.ts';
import {
  commandCells,
  insertCommandCells,
  rng,
  storeSyntheticSweep,
  syntheticCurve,
  syntheticCommandResult,
  writeCommandResults,
} from '../helpers/store-fixtures.ts';

interface CurveJson {
  sweep_id: string;
  cell_key: string;
  params: Record<string, unknown>;
  metrics: string[];
  points: { step: number; values: Record<string, number | null> }[];
}

describe('curves <sweep> <cell>', () => {
  let db: Awaited<ReturnType<typeof startTestPostgres>>;
  let pool: pg.Pool;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let builtInKey: string;
  let builtInCurve: CurveRow[];
  const cli = (...args: string[]) => runPhasesweep(args, env);
  // A program's progress events: val_err every step, lr from the second on.
  const programCurve = (cellKey: string): CurveRow[] =>
    [0, 10, 20].map((step, i) => ({
      cell_key: cellKey,
      step,
      train_loss: null,
      test_error: null,
      metrics: { val_err: [0.5, 0.375, 0.25][i], ...(i > 0 ? { lr: 0.01 / i } : {}) },
    }));

  before(async () => {
    db = await startTestPostgres();
    await migrate(db.url);
    pool = createPool(db.url, { max: 2 });
    home = mkdtempSync(join(tmpdir(), 'phasesweep-curves-'));
    env = { DATABASE_URL: db.url, NO_COLOR: '1', PHASESWEEP_HOME: home };
    const spec = parseSpecText(
      'name: cnn\nmethod: supervised\ngrid: {n_labels: [4], snr: [0.5, 1.0], seed: {range: [0, 1]}}\nfixed: {d: 20, m: 4, steps: 500, n_test: 50}\n',
      'cnn.yaml',
    );
    const cells = await storeSyntheticSweep(pool, 'cnn-1', spec);
    builtInKey = cells[0].key;
    builtInCurve = syntheticCurve(builtInKey, 5, rng(3));
    await writeCurves(pool, builtInCurve);

    await createSweep(pool, {
      id: 'prog-1',
      name: 'prog',
      spec: { name: 'prog', method: 'command', command: { argv: ['./train'], metrics: ['val_err'] } },
      specHash: 'prog',
      trainerVersion: 'command-1',
    });
    const programCells = commandCells('prog-1', { width: [1, 2] }, 1);
    await insertCommandCells(pool, 'prog-1', programCells);
    const random = rng(4);
    await writeCommandResults(
      pool,
      programCells.map((c) => syntheticCommandResult(c, 'prog-1', random)),
    );
    await writeCurves(pool, programCurve('prog-1:0'));
  });
  after(async () => {
    await pool?.end();
    await db?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it("a built-in cell's curve: train_loss and test_error at every stored step", async () => {
    const json = await cli('curves', 'cnn-1', builtInKey.slice(0, 12), '--json');
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout) as CurveJson;
    assert.equal(out.cell_key, builtInKey);
    assert.deepEqual(out.metrics, ['train_loss', 'test_error']);
    assert.deepEqual(
      out.points,
      builtInCurve.map((p) => ({
        step: p.step,
        values: { train_loss: p.train_loss, test_error: p.test_error },
      })),
    );
    const text = await cli('curves', 'cnn', builtInKey);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.trim().split('\n');
    assert.match(lines[0], new RegExp(`^cell ${builtInKey} of sweep cnn-1: .*n_labels=4 .*, 5 points$`));
    assert.match(lines[1], /^step\s+train_loss\s+test_error$/);
    assert.equal(lines.length, 2 + 5);
    assert.match(lines[2], /^0\s+1\.00\d\s+0\.5$/);
  });

  it("a program's cell: its progress metrics by name, a dash where a step lacks one", async () => {
    const json = await cli('curves', 'prog', 'prog-1:0', '--json');
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout) as CurveJson;
    assert.deepEqual(out.params, { method: 'command', width: 1, seed: 0 });
    assert.deepEqual(out.metrics, ['val_err', 'lr']);
    assert.deepEqual(out.points, [
      { step: 0, values: { val_err: 0.5, lr: null } },
      { step: 10, values: { val_err: 0.375, lr: 0.01 } },
      { step: 20, values: { val_err: 0.25, lr: 0.005 } },
    ]);
    const text = await cli('curves', 'prog', 'prog-1:0');
    assert.equal(text.code, 0, text.stderr);
    assert.deepEqual(
      text.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/)),
      [
        ['step', 'val_err', 'lr'],
        ['0', '0.5', '-'],
        ['10', '0.375', '0.01'],
        ['20', '0.25', '0.005'],
      ],
    );
    // A cell without progress events has no curve, and says so.
    const none = await cli('curves', 'prog', 'prog-1:1');
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /no stored curve/);
  });

  it('an unknown or ambiguous cell is one line, exit 2', async () => {
    const unknown = await cli('curves', 'prog', 'nope');
    assert.equal(unknown.code, 2);
    assert.equal(
      unknown.stderr.trim(),
      "phasesweep: unknown cell 'nope' in sweep prog-1: give a cell key or its start (`phasesweep results prog-1` lists them)",
    );
    const ambiguous = await cli('curves', 'prog', 'prog-1:');
    assert.equal(ambiguous.code, 2);
    assert.match(
      ambiguous.stderr.trim(),
      /^phasesweep: cell 'prog-1:' is ambiguous in sweep prog-1: .*; give more of the key$/,
    );
  });
});
