import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PNG } from 'pngjs';
import type pg from 'pg';
import { insertSweepCells } from '../../store/cells.ts';
import type { Cell } from '../../sweep/cells.ts';
import { recordDrift } from '../../store/drift.ts';
import { migrate } from '../../store/migrate.ts';
import { createPool } from '../../store/pool.ts';
import { writeResults } from '../../store/results.ts';
import { createSweep } from '../../store/sweeps.ts';
import { gridStats } from '../helpers/grid-stats.ts';
import { gridPoints } from '../../store/grid-points.ts';
import { cellKey, expandCells } from '../../sweep/cells.ts';
import { loadSpecFile } from '../../infra/spec-file.ts';
import { parseSpecText } from '../../sweep/spec.ts';
import { PARAM_NAMES, parseCellParams } from '../../trainer/index.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { runPhasesweep } from '../helpers/stack.ts';
import { SNR_61, TABLE_61 } from '../helpers/paper-grid.ts';
import { resultOfError } from '../helpers/store-fixtures.ts';

// The read-side commands (ls, show, plot, export, drift) on a real Postgres holding the paper-spec 6.1
// table as stored results (two seeds per point, 0.01 either side of the table's mean). Sweep B is the
// same grid with one point moved, for drift. The trained end-to-end path is in cli-run.test.ts.

async function storeSweep(
  pool: pg.Pool,
  id: string,
  shift: (n: number, snr: number) => number,
): Promise<void> {
  const trainer = id === 'grid-a' ? 'test-a' : 'test-b';
  await createSweep(pool, { id, name: id, spec: { name: id }, specHash: id, trainerVersion: trainer });
  const cells: Cell[] = [];
  for (const n of Object.keys(TABLE_61)) {
    for (const snr of SNR_61) {
      for (const seed of [0, 1]) {
        const params = parseCellParams({ method: 'supervised', n_labels: Number(n), snr, seed });
        // Distinct keys per sweep, as a new trainer version gives them; the grid coordinates are the same.
        cells.push({ key: `${id}-${cellKey(params)}`, ordinal: cells.length, params });
      }
    }
  }
  await insertSweepCells(pool, id, cells);
  await writeResults(
    pool,
    cells.map((c) => {
      const base = TABLE_61[c.params.n_labels]![SNR_61.indexOf(c.params.snr)]!;
      const err = Math.max(
        0,
        base + shift(c.params.n_labels, c.params.snr) + (c.params.seed === 0 ? -0.01 : 0.01),
      );
      return resultOfError(c.key, err, id, trainer);
    }),
  );
  await pool.query(`UPDATE sweeps SET status = 'completed' WHERE id = $1`, [id]);
}

interface Rect {
  snr: number;
  n: number;
  cx: number;
  cy: number;
}

// Centres of the first heatmap's cells, from the SVG: group translations summed down the tree.
function heatmapRects(svg: string): Rect[] {
  const tree = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '' }).parse(
    svg,
  );
  const rects: Rect[] = [];
  const walk = (nodes: Record<string, unknown>[], dx: number, dy: number, inFirst: boolean) => {
    for (const node of nodes) {
      const attrs = (node[':@'] ?? {}) as Record<string, string>;
      const tag = Object.keys(node).find((k) => k !== ':@')!;
      const t = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(attrs.transform ?? '');
      const [x, y] = t ? [dx + Number(t[1]), dy + Number(t[2])] : [dx, dy];
      const first = inFirst || (attrs.class ?? '').includes('concat_0_concat_0_layer_0_marks');
      const label = attrs['aria-label'] ?? '';
      if (first && tag === 'path' && label.includes('mean test_error')) {
        const [, px, py, w, h] = /^M([-\d.e]+),([-\d.e]+)h([-\d.e]+)v([-\d.e]+)/.exec(attrs.d!)!.map(Number);
        const field = (name: string) => Number(new RegExp(`(?:^|; )${name}: ([\\d.e-]+)`).exec(label)![1]);
        rects.push({ snr: field('snr'), n: field('n_labels'), cx: x + px! + w! / 2, cy: y + py! + h! / 2 });
      }
      if (Array.isArray(node[tag])) walk(node[tag] as Record<string, unknown>[], x, y, first);
    }
  };
  walk(tree as Record<string, unknown>[], 0, 0, false);
  return rects;
}

describe('read-side CLI on a real Postgres', () => {
  let db: { url: string; stop(): Promise<void> };
  let pool: pg.Pool;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const cli = (...args: string[]) => runPhasesweep(args, env);

  before(async () => {
    db = await startTestPostgres();
    await migrate(db.url);
    pool = createPool(db.url);
    await storeSweep(pool, 'grid-a', () => 0);
    // n=16 at SNR 0.464 moves from 0.11 to 0.41: far outside both CIs.
    await storeSweep(pool, 'grid-b', (n, snr) => (n === 16 && snr === 0.464 ? 0.3 : 0));
    dir = mkdtempSync(join(tmpdir(), 'phasesweep-cli-'));
    env = { DATABASE_URL: db.url, NO_COLOR: '1', PHASESWEEP_HOME: dir };
  });
  after(async () => {
    await pool?.end();
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ls lists both sweeps, as a table and as JSON', async () => {
    const table = await cli('ls');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /grid-a\s+grid-a\s+completed\s+80\/80/);
    const json = await cli('ls', '--json');
    assert.deepEqual((JSON.parse(json.stdout) as { id: string }[]).map((s) => s.id).sort(), [
      'grid-a',
      'grid-b',
    ]);
  });

  it('show prints a heatmap whose benign and harmful corners read as expected', async () => {
    const r = await cli('show', 'grid-a');
    assert.equal(r.code, 0, r.stderr);
    const row = (n: string) =>
      r.stdout
        .split('\n')
        .find((l) => l.trimStart().startsWith(`${n} `))!
        .replace(/snr\*.*/, '')
        .trim()
        .split(/[\s│]+/);
    assert.ok(Number(row('256').at(-1)) <= 0.05, `high SNR, many labels is benign: ${row('256').join(' ')}`);
    assert.ok(Number(row('4')[1]) >= 0.4, `low SNR, few labels is harmful: ${row('4').join(' ')}`);
    assert.match(r.stdout, /log-log slope of SNR\* vs n_labels: -0\.\d+ .*theory -1\/3 = -0\.33/);
    const json = JSON.parse((await cli('show', 'grid-a', '--json')).stdout) as {
      panels: { boundary: { slope: number } }[];
    };
    assert.ok(json.panels[0]!.boundary.slope < -0.15 && json.panels[0]!.boundary.slope > -0.5);
  });

  it('show draws any two axes and any metric, and refuses unknown ones with exit 2', async () => {
    const swapped = JSON.parse(
      (await cli('show', 'grid-a', '--json', '--x', 'n_labels', '--y', 'snr')).stdout,
    ) as {
      panels: {
        x: { name: string };
        y: { name: string };
        boundary: { along: string; theory_slope: number };
      }[];
    };
    assert.deepEqual(
      [swapped.panels[0]!.x.name, swapped.panels[0]!.y.name, swapped.panels[0]!.boundary.along],
      ['n_labels', 'snr', 'x'],
    );
    assert.equal(swapped.panels[0]!.boundary.theory_slope, -1 / 3);
    const alignment = await cli('show', 'grid-a', '--metric', 'signal_alignment', '--threshold', '0.75');
    assert.equal(alignment.code, 0, alignment.stderr);
    assert.match(alignment.stdout, /mean signal_alignment over seeds/);
    for (const [args, message] of [
      [['--x', 'nope'], /--x nope: unknown axis; expected one of/],
      [
        ['--metric', 'accuracy'],
        /--metric accuracy: no result of sweep grid-a carries it; available: test_error,/,
      ],
      [['--x', 'snr', '--y', 'snr'], /--x and --y are both 'snr'/],
      [['--threshold', 'high'], /expected a number, got 'high'/],
    ] as const) {
      const r = await cli('show', 'grid-a', ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('the views and the grid_point_stats view agree on every seed mean', async () => {
    const points = await gridPoints(pool, 'grid-a');
    const stats = await gridStats(pool, 'grid-a');
    assert.equal(points.length, stats.length);
    for (const s of stats) {
      const p = points.find((pt) => pt.params?.n_labels === s.n_labels && pt.params?.snr === s.snr)!;
      assert.ok(Math.abs(p.metrics.test_error.mean! - s.mean_test_error!) < 1e-12);
      assert.ok(Math.abs(p.metrics.test_error.ci95_high! - s.ci95_high!) < 1e-6);
      assert.equal(p.seeds, s.seeds);
    }
  });

  it('show and plot give the label-noise example (q = 1) theory slope -1/4, not -1', async () => {
    const spec = await loadSpecFile(
      new URL('../../examples/kou23-label-noise.yaml', import.meta.url).pathname,
    );
    const cells = expandCells(spec);
    await createSweep(pool, {
      id: 'kou23',
      name: spec.name,
      spec,
      specHash: 'kou23',
      trainerVersion: 'test',
    });
    await insertSweepCells(pool, 'kou23', cells);
    // Outcomes on the [KOU23] law n·SNR^4 = c: the Bayes rate p in the benign regime, 0.5 beyond.
    const law = (n: number, snr: number) => 0.1 + 0.4 / (1 + Math.exp(4 * Math.log((n * snr ** 4) / 0.01)));
    await writeResults(
      pool,
      cells.map((c) => {
        const err = law(c.params.n_labels, c.params.snr) + (c.params.seed - 1) * 0.005;
        return resultOfError(c.key, err, 'kou23', 'test');
      }),
    );
    const r = await cli('show', 'kou23', '--json');
    assert.equal(r.code, 0, r.stderr);
    const [panel] = (
      JSON.parse(r.stdout) as {
        panels: { boundary: { theory_slope: number; slope: number; theory: string } }[];
      }
    ).panels;
    assert.equal(panel!.boundary.theory_slope, -0.25);
    assert.match(panel!.boundary.theory, /KOU23/);
    assert.ok(Math.abs(panel!.boundary.slope + 0.25) < 0.05, `fitted ${panel!.boundary.slope}`);
    const svgFile = join(dir, 'kou23.svg');
    assert.equal((await cli('plot', 'kou23', '--out', svgFile)).code, 0);
    assert.match(readFileSync(svgFile, 'utf8'), /slope -0\.2\d* vs theory -0\.25/);
  });

  it('an unknown sweep exits 2 with a clear message', async () => {
    const r = await cli('show', 'no-such-sweep');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown sweep 'no-such-sweep'/);
  });

  it('plot writes an SVG that parses and a PNG whose benign and harmful corners differ in colour', async () => {
    const svgFile = join(dir, 'a.svg');
    const pngFile = join(dir, 'a.png');
    const r = await cli('plot', 'grid-a', '--out', svgFile, '--out', pngFile, '--scale', '2');
    assert.equal(r.code, 0, r.stderr);
    const svg = readFileSync(svgFile, 'utf8');
    assert.equal(XMLValidator.validate(svg), true);
    const png = PNG.sync.read(readFileSync(pngFile));
    const svgWidth = Number(/<svg[^>]+width="([\d.]+)"/.exec(svg)![1]);
    assert.equal(png.width, svgWidth * 2);
    const rects = heatmapRects(svg);
    assert.equal(rects.length, 40);
    const corner = (pick: (a: Rect, b: Rect) => boolean) =>
      rects.reduce((best, x) => (pick(x, best) ? x : best));
    const benign = corner((a, b) => a.snr + a.n / 1000 > b.snr + b.n / 1000);
    const harmful = corner((a, b) => a.snr + a.n / 1000 < b.snr + b.n / 1000);
    assert.deepEqual([benign.snr, benign.n, harmful.snr, harmful.n], [1, 256, 0.1, 4]);
    const pixel = (r: Rect) => {
      const i = (Math.round(r.cy * 2) * png.width + Math.round(r.cx * 2)) * 4;
      return [...png.data.subarray(i, i + 3)];
    };
    const [b, h] = [pixel(benign), pixel(harmful)];
    assert.ok(b[2]! > b[0]!, `benign corner is blue: ${b}`);
    assert.ok(h[0]! > h[2]!, `harmful corner is orange: ${h}`);
    const bad = await cli('plot', 'grid-a', '--out', join(dir, 'a.pdf'));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /a\.pdf.*\.svg or \.png/);
  });

  it('export gives grid coordinates, seeds and metrics as CSV and JSON', async () => {
    const csv = await cli('export', 'grid-a', '--format', 'csv');
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines.length, 81);
    const header = lines[0]!.split(',');
    for (const col of ['method', 'n_labels', 'snr', 'seed', 'test_error', 'cell_key'])
      assert.ok(header.includes(col), col);
    const json = JSON.parse((await cli('export', 'grid-a', '--format', 'json')).stdout) as Record<
      string,
      unknown
    >[];
    assert.equal(json.length, 80);
    assert.deepEqual(new Set(json.map((r) => r.seed)), new Set([0, 1]));
  });

  it('shows pretrain_batch written out at n_unlabeled as its value in show --json and export, every parameter a column', async () => {
    const spec = parseSpecText(
      [
        'name: batch',
        'method: simclr',
        'grid: { pretrain_batch: [16, 64], snr: [0.1, 0.2, 0.4], seed: [0, 1] }',
        'fixed: { n_unlabeled: 64, n_labels: 4 }',
      ].join('\n'),
      'batch.yaml',
    );
    const cells = expandCells(spec);
    await createSweep(pool, { id: 'batch', name: 'batch', spec, specHash: 'batch', trainerVersion: 'test' });
    await insertSweepCells(pool, 'batch', cells);
    await writeResults(
      pool,
      cells.map((c) => ({
        cell_key: c.key,
        test_error: c.params.snr >= 0.2 ? 0.01 : 0.5,
        test_loss: null,
        train_loss: null,
        best_test_error: null,
        signal_alignment: null,
        signal_learning: null,
        noise_memorization: null,
        pretrain_alignment: 0.5,
        best_step: null,
        probe_alignment: null,
        linear_probe_error: null,
        head_change: null,
        diverged: false,
        steps: 1000,
        wall_ms: 10,
        backend: 'cpu',
        worker_id: 'test',
        trainer_version: 'test',
        sweep_id: 'batch',
      })),
    );
    const show = await cli('show', 'batch', '--json', '--x', 'pretrain_batch', '--y', 'snr');
    assert.equal(show.code, 0, show.stderr);
    const [panel] = (JSON.parse(show.stdout) as { panels: { x: { scale: string; values: unknown[] } }[] })
      .panels;
    assert.deepEqual(panel!.x, { name: 'pretrain_batch', scale: 'log', values: [16, 64] });
    assert.doesNotMatch((await cli('show', 'batch')).stdout, /default/);
    const csv = (await cli('export', 'batch')).stdout.trim().split('\n');
    const header = csv[0]!.split(',');
    assert.deepEqual(header.slice(3, 3 + PARAM_NAMES.length), PARAM_NAMES);
    const column = (name: string) => csv.slice(1).map((line) => line.split(',')[header.indexOf(name)]);
    assert.deepEqual([...new Set(column('pretrain_batch'))].sort(), ['16', '64']);
    assert.deepEqual([...new Set(column('head_dim'))], ['20']);
    assert.deepEqual([...new Set(column('pretrain_init_norm'))], ['0.001']);
    const rows = JSON.parse((await cli('results', 'batch')).stdout) as Record<string, unknown>[];
    assert.equal(rows.length, 12);
    assert.ok(rows.every((r) => r.pretrain_init_norm === 0.001 && r.head_dim === 20));
  });

  it('drift finds exactly the moved grid point, and show displays a recorded drift', async () => {
    type Report = {
      compared: number;
      tested: number;
      paired: number;
      moved: { n_labels: number; snr: number; test: string }[];
    };
    // The same seeds under another trainer version: each point is tested on its per-seed differences,
    // where the seeds' ±0.01 cancels. The one move is found at the default false-discovery rate, where
    // Welch over two seeds a point (t = 21 on 2 degrees of freedom, p = 0.002, q = 0.09 over 40
    // points) could not find it.
    const r = await cli('drift', 'grid-a', 'grid-b', '--json');
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual([report.compared, report.tested, report.paired], [40, 40, 40]);
    assert.deepEqual(
      report.moved.map((m) => [m.n_labels, m.snr, m.test]),
      [[16, 0.464, 'paired_t']],
    );
    assert.equal((await cli('drift', 'grid-a', 'grid-b', '--fail-on-drift')).code, 1);
    assert.equal((await cli('drift', 'grid-a', 'grid-b', '--fail-on-drift', '--min-delta', '0.5')).code, 0);
    await recordDrift(pool, {
      sweep_id: 'grid-b',
      baseline_sweep_id: 'grid-a',
      schedule_id: 'nightly',
      compared: report.compared,
      moved: report.moved.length,
      points: report.moved,
    });
    const show = await cli('show', 'grid-b');
    assert.match(show.stdout, /drift against the previous run of schedule nightly/);
    assert.match(show.stdout, /supervised\s+16\s+-\s+\.46\s+\.11/);
  });
});
