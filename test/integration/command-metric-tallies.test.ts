// Migration 020 tallies a command program's metrics by name (grid_point_tallies.metric_stats) as 012
// tallies the built-in ones. A tally is only as good as its agreement with a count from the rows
// themselves, so the tests compare it with metric_stats_recount (avg and var_pop over every value in
// one pass), whatever order cells and results arrive in, and check that the cells' NULL typed
// coordinates pass the triggers and views, and that `verify`'s recount agrees.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
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
import {
  close,
  randomChunks,
  shuffle,
  storeBefore,
  createEarlySweep,
  summaryDisagreements,
  type Summary,
} from '../helpers/tallies.ts';
import { createPool } from '../../store/pool.ts';
import { migrate } from '../../store/migrate.ts';
import { createSweep } from '../../store/sweeps.ts';
import { verifySweep } from '../../store/cells.ts';
import { recordFailure } from '../../store/results.ts';
import { gridPoints } from '../../store/grid-points.ts';
import { summarizeSample, summarizeMetric, type MetricSummary } from '../../sweep/stats.ts';

let server: Awaited<ReturnType<typeof startTestPostgres>>;
let pool: pg.Pool;

const spec = { name: 'cmd', method: 'command', command: { metrics: ['val_err', 'acc', 'note'] } };
const AXES = { n: [16, 64, 256], snr: [0.1, 0.3, 1] };

type Stats = Record<string, { n: number; mean: number | null; m2: number }>;

// m2 is compared as a standard deviation, relative to the mean (test/helpers/tallies.ts).
const summary = (x: Stats[string]): Summary => ({
  mean: x.mean,
  sd: x.n < 2 ? null : Math.sqrt(x.m2 / (x.n - 1)),
});

// Where the tallied summaries by name disagree with a recount from the cells, as readable lines.
async function disagreements(db: pg.Pool, sweepId: string): Promise<string[]> {
  const problems: string[] = [];
  const tallied = new Map(
    (
      await db.query<{ point_key: string; metric_stats: Stats }>(
        'SELECT point_key, metric_stats FROM grid_point_tallies WHERE sweep_id = $1',
        [sweepId],
      )
    ).rows.map((r) => [r.point_key, r.metric_stats]),
  );
  const recounted = (
    await db.query<{ point_key: string; metric_stats: Stats }>('SELECT * FROM metric_stats_recount($1)', [
      sweepId,
    ])
  ).rows;
  for (const { point_key, metric_stats: live } of recounted) {
    const t = tallied.get(point_key) ?? {};
    if (JSON.stringify(Object.keys(t).sort()) !== JSON.stringify(Object.keys(live).sort()))
      problems.push(`${point_key}: names ${Object.keys(t)} != live ${Object.keys(live)}`);
    for (const [name, l] of Object.entries(live)) {
      const s = t[name];
      if (!s) continue;
      if (s.n !== l.n) problems.push(`${point_key} ${name}: n ${s.n} != live ${l.n}`);
      problems.push(...summaryDisagreements(`${point_key} ${name}`, summary(s), summary(l)));
    }
  }
  for (const [key, t] of tallied)
    if (!recounted.some((r) => r.point_key === key) && Object.keys(t).length > 0)
      problems.push(`${key}: tallied names but no result carries any`);
  return problems;
}

describe('tallies of metrics by name (migration 020)', () => {
  before(async () => {
    server = await startTestPostgres();
    await migrate(server.url);
    pool = createPool(server.url, { max: 8 });
  });
  after(async () => {
    await pool?.end();
    await server?.stop();
  });

  test('cells and results in any order and batching: the tally by name is the recount', async () => {
    const random = rng(7);
    const id = 'cmd-order';
    await createSweep(pool, { id, name: id, spec, specHash: 'h', trainerVersion: 'v' });
    const cells = commandCells(id, AXES, 5);
    const results = cells.map((c) => syntheticCommandResult(c, id, random));
    // Half the results arrive before their cells (cache hits of another run), the rest after; batches
    // of random sizes, concurrently.
    const early = results.filter(() => random() < 0.5);
    const late = results.filter((r) => !early.includes(r));
    const ops: (() => Promise<unknown>)[] = [
      ...randomChunks(shuffle(early, random), random, 7).map((c) => () => writeCommandResults(pool, c)),
    ];
    await Promise.all(ops.map((op) => op()));
    await Promise.all(
      randomChunks(shuffle(cells, random), random, 9).map((c) => insertCommandCells(pool, id, c)),
    );
    await Promise.all(
      randomChunks(shuffle(late, random), random, 5).map((c) => writeCommandResults(pool, c)),
    );
    assert.deepEqual(await disagreements(pool, id), []);
    const v = await verifySweep(pool, id);
    assert.equal(v.ok, true);
    assert.equal(v.recount, undefined);
    assert.equal(v.counts.done, cells.length);

    // The view's interval is summarizeMetric's, from the cells' own values.
    const { rows } = await pool.query<{
      params: Record<string, unknown>;
      metric_stats: Record<string, MetricSummary & { sd: number | null }>;
    }>('SELECT params, metric_stats FROM grid_point_stats WHERE sweep_id = $1', [id]);
    assert.equal(rows.length, 9);
    for (const row of rows) {
      const mine = results.filter((r) => {
        const cell = cells.find((c) => c.key === r.cell_key)!;
        return cell.params.n === row.params.n && cell.params.snr === row.params.snr;
      });
      const sample = summarizeSample(mine.map((r) => r.metrics.val_err!));
      const expected = summarizeMetric(sample.n, sample.mean, sample.sd);
      const got = row.metric_stats.val_err;
      assert.equal(got.n, 5);
      assert.ok(close(got.mean, expected.mean), `mean ${got.mean} vs ${expected.mean}`);
      assert.ok(
        close(got.ci95_low, expected.ci95_low, 1),
        `ci95_low ${got.ci95_low} vs ${expected.ci95_low}`,
      );
      assert.ok(close(got.ci95_high, expected.ci95_high, 1));
      // A metric reported as null by some cells counts only the others.
      const notes = mine.filter((r) => r.metrics.note !== null).length;
      assert.equal(row.metric_stats.note.n, notes);
    }
  });

  test('a command point has NULL typed coordinates, counts failures, and the grid point reader returns its metrics', async () => {
    const random = rng(8);
    const id = 'cmd-reader';
    await createSweep(pool, { id, name: id, spec, specHash: 'h2', trainerVersion: 'v' });
    const cells = commandCells(id, { n: [16, 64], snr: [0.1, 1] }, 3);
    await insertCommandCells(pool, id, cells);
    const failed = cells[0];
    await recordFailure(pool, { sweep_id: id, cell_key: failed.key, attempt: 1, error: 'protocol' });
    const rows: CommandResultRow[] = cells.slice(1).map((c) => syntheticCommandResult(c, id, random));
    await writeCommandResults(pool, rows);
    const typed = await pool.query(
      'SELECT count(*)::integer AS n FROM grid_point_tallies WHERE sweep_id = $1 AND n_labels IS NULL AND snr IS NULL',
      [id],
    );
    assert.equal(typed.rows[0].n, 4);
    const v = await verifySweep(pool, id);
    assert.deepEqual(
      { ok: v.ok, done: v.counts.done, failed: v.counts.failed, recount: v.recount },
      { ok: true, done: 11, failed: 1, recount: undefined },
    );
    const points = await gridPoints(pool, id);
    assert.equal(points.length, 4);
    const first = points[0];
    assert.deepEqual(first.values, { method: 'command', n: 16, snr: 0.1 });
    assert.equal(first.params, null);
    assert.equal(first.failed, 1);
    const vals = rows.filter((r) => [cells[1].key, cells[2].key].includes(r.cell_key));
    const sample = summarizeSample(vals.map((r) => r.metrics.val_err!));
    assert.equal(first.metrics.val_err.n, 2);
    assert.ok(close(first.metrics.val_err.mean, sample.mean));
    const expected = summarizeMetric(sample.n, sample.mean, sample.sd);
    assert.ok(close(first.metrics.val_err.ci95_high, expected.ci95_high, 1));
    // No built-in metric is invented for a command point.
    assert.equal(first.metrics.test_error, undefined);
  });

  test('verify recounts the tallies by name: OK as stored, and one corrupted tally row fails it', async () => {
    const random = rng(11);
    const id = 'cmd-verify';
    await createSweep(pool, { id, name: id, spec, specHash: 'h4', trainerVersion: 'v' });
    const cells = commandCells(id, { n: [16, 64], snr: [0.1, 1] }, 3);
    await insertCommandCells(pool, id, cells);
    await writeCommandResults(
      pool,
      cells.map((c) => syntheticCommandResult(c, id, random)),
    );
    const home = mkdtempSync(join(tmpdir(), 'phasesweep-verify-'));
    const env = { DATABASE_URL: server.url, NO_COLOR: '1', PHASESWEEP_HOME: home };
    try {
      const before = await runPhasesweep(['verify', id], env);
      assert.equal(before.code, 0, before.stderr);
      assert.match(before.stdout, /12\/12 done \(0 cached, 0 failed\): OK$/m);
      assert.doesNotMatch(before.stdout, /recount/);

      // One point's val_err: one value fewer and another mean, as a lost or doubled update would leave it.
      const { rows } = await pool.query<{ point_key: string; params: { n: number; snr: number } }>(
        `UPDATE grid_point_tallies SET metric_stats = jsonb_set(metric_stats, '{val_err}',
           jsonb_build_object('n', 2, 'mean', 0.75, 'm2', 0.01))
         WHERE point_key = (SELECT min(point_key) FROM grid_point_tallies WHERE sweep_id = $1) AND sweep_id = $1
         RETURNING point_key, params`,
        [id],
      );
      assert.equal(rows.length, 1);
      const v = await verifySweep(pool, id);
      assert.equal(v.ok, false);
      assert.equal(v.recount, undefined, 'the counts themselves still agree');
      assert.deepEqual(
        v.metric_recount?.map((m) => [m.point_key, m.tally.val_err.n, m.recount.val_err.n]),
        [[rows[0].point_key, 2, 3]],
      );
      const after = await runPhasesweep(['verify', id], env);
      assert.equal(after.code, 1);
      const lines = after.stdout.trim().split('\n');
      assert.match(lines[0], /12\/12 done \(0 cached, 0 failed\): INCOMPLETE$/);
      const { n, snr } = rows[0].params;
      assert.match(
        lines[1],
        new RegExp(
          `^but a recount of its cells gives other metrics by name at 1 grid point \\(method=command n=${n} snr=${snr}: ` +
            `val_err n 3, mean [0-9.e-]+, tallied n 2, mean 0\\.750000\\): the store's tally is wrong$`,
        ),
      );
      const json = await runPhasesweep(['verify', id, '--json'], env);
      assert.equal(json.code, 1);
      const report = JSON.parse(json.stdout) as { ok: boolean; metric_recount: { point_key: string }[] };
      assert.equal(report.ok, false);
      assert.deepEqual(
        report.metric_recount.map((m) => m.point_key),
        [rows[0].point_key],
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('results with metrics by name stored before 020 are tallied by the migration', async () => {
    const { url } = await storeBefore(server.url, 'before020', '020');
    const old = createPool(url, { max: 2 });
    try {
      const id = 'cmd-old';
      await createEarlySweep(old, { id, name: id, spec, specHash: 'h3', trainerVersion: 'v' });
      const cells: CommandCell[] = commandCells(id, AXES, 2);
      await insertCommandCells(old, id, cells);
      const random = rng(9);
      await writeCommandResults(
        old,
        cells.map((c) => syntheticCommandResult(c, id, random)),
      );
      assert.ok((await migrate(url)).applied.includes('020_metric_stats.sql'));
      assert.deepEqual(await disagreements(old, id), []);
      const { rows } = await old.query(
        "SELECT count(*)::integer AS n FROM grid_point_tallies WHERE sweep_id = $1 AND metric_stats ? 'val_err'",
        [id],
      );
      assert.equal(rows[0].n, 9);
    } finally {
      await old.end();
    }
  });
});
