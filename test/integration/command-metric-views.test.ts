// The read side on a user's program's results (`method: command`): metrics by name and parameters by
// the program's own names, in `show`, `plot --metric`, `export`, `drift` and the boundary engine, on a
// real Postgres holding command cells and results written at the store level (the command method's
// writers store them so: typed CNN coordinates NULL, metrics in results.metrics, a code hash).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { ALL_ROUNDS, storeBoundaries } from '../../activities/store-boundaries.ts';
import { sweepBoundaries } from '../../store/boundaries.ts';
import { migrate } from '../../store/migrate.ts';
import { createPool } from '../../store/pool.ts';
import { createSweep } from '../../store/sweeps.ts';
import { crossingInterval } from '../../sweep/crossing-interval.ts';
import type { RefinedSpec } from '../../sweep/refine-round.ts';
import { refineSchema } from '../../sweep/refine-schema.ts';
import { summarizeSample } from '../../sweep/stats.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { runPhasesweep } from '../helpers/stack.ts';
import {
  commandCells,
  insertCommandCells,
  rng,
  syntheticCommandResult,
  writeCommandResults,
  type CommandCell,
  type CommandResultRow,
} from '../helpers/store-fixtures.ts';

const N = [16, 64, 256];
const SNR = [0.05, 0.1, 0.2, 0.4, 0.8];
const SEEDS = 4;
const specOf = (name: string) => ({
  name,
  method: 'command',
  command: { argv: ['python3', 'train.py'], metrics: ['val_err', 'acc', 'note'] },
  grid: { n: N, snr: SNR, seed: { range: [0, SEEDS] } },
  fixed: {},
});

interface Stored {
  cells: CommandCell[];
  results: CommandResultRow[];
}

async function storeRun(
  pool: pg.Pool,
  id: string,
  codeHash: string,
  shift: (cell: CommandCell) => number,
): Promise<Stored> {
  // The code hash is in the stored spec, as a worker's registration writes it (recordCodeHash).
  const spec = specOf(id);
  await createSweep(pool, {
    id,
    name: id,
    spec: { ...spec, command: { ...spec.command, code_hash: codeHash } },
    specHash: id,
    trainerVersion: 'command-1',
  });
  const cells = commandCells(id, { n: N, snr: SNR }, SEEDS);
  await insertCommandCells(pool, id, cells);
  const random = rng(id.length * 7);
  const results = cells.map((c) => {
    const r = syntheticCommandResult(c, id, random, codeHash);
    const err = r.metrics.val_err! + shift(c);
    return { ...r, metrics: { ...r.metrics, val_err: err, acc: 1 - err } };
  });
  await writeCommandResults(pool, results);
  await pool.query(`UPDATE sweeps SET status = 'completed' WHERE id = $1`, [id]);
  return { cells, results };
}

// The seed values of one metric at a grid point.
function valuesAt(run: Stored, n: number, snr: number, metric: string): number[] {
  return run.results
    .filter((r) => {
      const c = run.cells.find((cell) => cell.key === r.cell_key)!;
      return c.params.n === n && c.params.snr === snr;
    })
    .map((r) => r.metrics[metric]!);
}

describe('read side of metrics by name (method: command)', () => {
  let db: { url: string; stop(): Promise<void> };
  let pool: pg.Pool;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let runA: Stored;
  let runB: Stored;
  const cli = (...args: string[]) => runPhasesweep(args, env);

  before(async () => {
    db = await startTestPostgres();
    await migrate(db.url);
    pool = createPool(db.url);
    runA = await storeRun(pool, 'cmd-a', 'code-a', () => 0);
    // The program changed: at n = 64, SNR 0.2 its val_err rose by 0.3, far outside the seeds' spread.
    runB = await storeRun(pool, 'cmd-b', 'code-b', (c) =>
      c.params.n === 64 && c.params.snr === 0.2 ? 0.3 : 0,
    );
    dir = mkdtempSync(join(tmpdir(), 'phasesweep-cmd-'));
    env = { DATABASE_URL: db.url, NO_COLOR: '1', PHASESWEEP_HOME: dir };
  });
  after(async () => {
    await pool?.end();
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('show draws the first listed metric over the program parameters by default, and any --metric', async () => {
    const text = await cli('show', 'cmd-a');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /mean val_err over seeds/);
    assert.match(text.stdout, /snr →/);
    const json = await cli('show', 'cmd-a', '--metric', 'acc', '--json');
    assert.equal(json.code, 0, json.stderr);
    const panels = JSON.parse(json.stdout).panels as {
      metric: string;
      x: { name: string; values: number[] };
      y: { name: string; values: number[] };
      mean: (number | null)[][];
      boundary: { theory: string | null };
    }[];
    assert.equal(panels.length, 1);
    const [panel] = panels;
    assert.deepEqual([panel.metric, panel.x.name, panel.y.name], ['acc', 'snr', 'n']);
    assert.deepEqual(panel.x.values, SNR);
    assert.deepEqual(panel.y.values, N);
    assert.equal(panel.boundary.theory, null);
    for (const [i, n] of N.entries())
      for (const [j, snr] of SNR.entries()) {
        const expected = summarizeSample(valuesAt(runA, n, snr, 'acc')).mean;
        assert.ok(Math.abs(panel.mean[i][j]! - expected) < 1e-12, `acc at n=${n} snr=${snr}`);
      }
  });

  it('show --all-runs over two versions of a program: the newest by default, says so, and reads any or all', async () => {
    await pool.query(`UPDATE sweeps SET schedule_id = 'nightly-cmd' WHERE id IN ('cmd-a', 'cmd-b')`);
    try {
      type Pooled = {
        pooled_runs: number;
        code_versions: { code_hash: string; results: number; runs: number }[];
        code_hash: string | null;
        code_warning: string | null;
        panels: { y: { name: string }; mean: number[][] }[];
      };
      const show = async (...args: string[]) => {
        const run = await cli('show', 'cmd-b', '--all-runs', '--metric', 'acc', '--json', ...args);
        assert.equal(run.code, 0, run.stderr);
        return JSON.parse(run.stdout) as Pooled;
      };
      const meanAt = (out: Pooled) => out.panels[0].mean[0][0];
      const versions = [
        { code_hash: 'code-b', results: N.length * SNR.length * SEEDS, runs: 1 },
        { code_hash: 'code-a', results: N.length * SNR.length * SEEDS, runs: 1 },
      ];

      // By default the newest version only: cmd-b's seeds, not cmd-a's under another program.
      const newest = await show();
      assert.equal(newest.pooled_runs, 1);
      assert.equal(newest.code_hash, 'code-b');
      assert.deepEqual(newest.code_versions, versions);
      assert.equal(
        newest.code_warning,
        'warning: the finished runs of schedule nightly-cmd hold 2 versions of the program: ' +
          'code-b (60 results, read here), code-a (60 results); only code-b is read here ' +
          '(--code-hash PREFIX reads another, --code-hash all pools them)',
      );
      assert.equal(newest.panels[0].y.name, 'n');
      const onlyB = valuesAt(runB, 16, 0.05, 'acc');
      assert.ok(Math.abs(meanAt(newest) - summarizeSample(onlyB).mean) < 1e-12);

      const older = await show('--code-hash', 'code-a');
      assert.equal(older.code_hash, 'code-a');
      assert.equal(older.pooled_runs, 1);
      assert.ok(Math.abs(meanAt(older) - summarizeSample(valuesAt(runA, 16, 0.05, 'acc')).mean) < 1e-12);

      // `all`: each point pools both runs' seeds (no cell key in common): the mean of all eight values.
      const all = await show('--code-hash', 'all');
      assert.equal(all.pooled_runs, 2);
      assert.equal(all.code_hash, null);
      assert.match(
        all.code_warning!,
        /2 versions of the program: code-b \(60 results\), code-a \(60 results\); all pooled here/,
      );
      const both = [...valuesAt(runA, 16, 0.05, 'acc'), ...onlyB];
      assert.equal(both.length, 2 * SEEDS);
      assert.ok(Math.abs(meanAt(all) - summarizeSample(both).mean) < 1e-12);

      // The text view says the same in one line below the pooling line.
      const text = await cli('show', 'cmd-b', '--all-runs');
      assert.equal(text.code, 0, text.stderr);
      const lines = text.stdout.split('\n');
      const at = lines.findIndex((l) =>
        l.startsWith('all 1 finished runs of program code-b of schedule nightly-cmd together'),
      );
      assert.ok(at >= 0, text.stdout);
      assert.equal(lines[at + 1], newest.code_warning);

      const cases: [string[], RegExp][] = [
        [
          ['--all-runs', '--code-hash', 'zz'],
          /^phasesweep: --code-hash zz: no finished run of the schedule has that version of the program; its versions: code-b \(60 results\), code-a \(60 results\)$/,
        ],
        [
          ['--all-runs', '--code-hash', 'code-'],
          /^phasesweep: --code-hash code-: matches 2 versions of the program .*; give more of it$/,
        ],
        [
          ['--code-hash', 'code-a'],
          /^phasesweep: --code-hash reads one version of a program among the runs of --all-runs: add --all-runs$/,
        ],
      ];
      for (const [args, message] of cases) {
        const bad = await cli('show', 'cmd-b', ...args);
        assert.equal(bad.code, 2, args.join(' '));
        assert.match(bad.stderr.trim(), message);
      }
    } finally {
      await pool.query(`UPDATE sweeps SET schedule_id = NULL WHERE id IN ('cmd-a', 'cmd-b')`);
    }
  });

  it('a metric no result carries is one line, exit 2, naming those available; so is an unknown axis', async () => {
    const bad = await cli('show', 'cmd-a', '--metric', 'test_error');
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr.trim(),
      'phasesweep: --metric test_error: no result of sweep cmd-a carries it; available: val_err, acc, note',
    );
    const axis = await cli('plot', 'cmd-a', '--x', 'n_labels', '--out', join(dir, 'x.svg'));
    assert.equal(axis.code, 2);
    assert.match(axis.stderr.trim(), /^phasesweep: --x n_labels: unknown axis; expected one of .*\bn\b/);
    assert.equal(axis.stderr.trim().split('\n').length, 1);
  });

  it('plot --metric draws a program metric', async () => {
    const out = join(dir, 'acc.svg');
    const run = await cli('plot', 'cmd-a', '--metric', 'acc', '--out', out);
    assert.equal(run.code, 0, run.stderr);
    const svg = readFileSync(out, 'utf8');
    assert.match(svg, /mean acc/);
    assert.match(svg, /\bn: 256\b/);
  });

  it('export has the program parameters and metrics as columns, and the code hash', async () => {
    const run = await cli('export', 'cmd-a', '--format', 'csv');
    assert.equal(run.code, 0, run.stderr);
    const [header, ...rows] = run.stdout.trim().split('\n');
    const columns = header.split(',');
    for (const c of ['method', 'n', 'snr', 'seed', 'val_err', 'acc', 'note', 'code_hash'])
      assert.ok(columns.includes(c), `column ${c} in ${header}`);
    assert.ok(!columns.includes('test_error'), 'no built-in metric column');
    assert.equal(rows.length, runA.cells.length);
    const first = Object.fromEntries(columns.map((c, i) => [c, rows[0].split(',')[i]]));
    const stored = runA.results.find((r) => r.cell_key === first.cell_key)!;
    assert.equal(Number(first.val_err), stored.metrics.val_err);
    assert.equal(first.code_hash, 'code-a');
    assert.equal(first.method, 'command');
  });

  it('drift compares a program metric between two runs and names both code hashes', async () => {
    const json = await cli('drift', 'cmd-a', 'cmd-b', '--metric', 'val_err', '--json');
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as {
      metric: string;
      compared: number;
      moved: { params: Record<string, unknown>; delta: number }[];
      code_hashes: { a: string[]; b: string[] };
    };
    assert.equal(report.metric, 'val_err');
    assert.equal(report.compared, N.length * SNR.length);
    assert.deepEqual(report.code_hashes, { a: ['code-a'], b: ['code-b'] });
    assert.deepEqual(
      report.moved.map((m) => [m.params.n, m.params.snr]),
      [[64, 0.2]],
    );
    assert.ok(Math.abs(report.moved[0].delta - 0.3) < 1e-9);
    const text = await cli('drift', 'cmd-a', 'cmd-b', '--metric', 'val_err');
    assert.match(text.stdout, /code changed: code-a → code-b/);
    assert.match(text.stdout, /n=64 snr=0\.2 /);
    const bad = await cli('drift', 'cmd-a', 'cmd-b', '--metric', 'loss');
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr.trim(),
      /^phasesweep: --metric loss: no result of cmd-a or cmd-b carries it; available: val_err, acc, note$/,
    );
  });

  it('the boundary engine reads a program metric by name from stored results', async () => {
    const spec = {
      ...specOf('cmd-a'),
      method: ['command'],
      refine: refineSchema.parse({ axis: 'snr', metric: 'val_err', threshold: 0.25, resolution: 0.01 }),
    } as unknown as RefinedSpec;
    await storeBoundaries(pool, 'cmd-a', spec, ALL_ROUNDS, false);
    const stored = await sweepBoundaries(pool, 'cmd-a');
    assert.equal(stored.length, N.length);
    for (const n of N) {
      const row = stored.find((b) => b.group_values.n === n)!;
      assert.ok(row, `a boundary for n = ${n}`);
      const cells = SNR.flatMap((snr) =>
        runA.results
          .filter((r) => {
            const c = runA.cells.find((cell) => cell.key === r.cell_key)!;
            return c.params.n === n && c.params.snr === snr;
          })
          .map((r) => ({
            at: snr,
            seed: runA.cells.find((c) => c.key === r.cell_key)!.params.seed,
            value: r.metrics.val_err!,
          })),
      );
      const expected = crossingInterval(cells, { threshold: 0.25, scale: 'log' });
      assert.equal(row.metric, 'val_err');
      const near = (a: number | null, b: number | null) =>
        a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.abs(b);
      assert.ok(near(row.crossing, expected.crossing), `crossing ${row.crossing} vs ${expected.crossing}`);
      assert.ok(near(row.ci95_low, expected.ci95?.[0] ?? null), `ci95 ${row.ci95_low} vs ${expected.ci95}`);
      assert.equal(row.seeds, SEEDS);
    }
    assert.ok(
      stored.some((b) => b.crossing !== null),
      'some group crosses 0.25',
    );
  });
});
