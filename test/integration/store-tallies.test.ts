// Migration 012 keeps sweep counts and grid-point summaries as running tallies, updated by triggers as
// cells, results and failures arrive. A tally is only as good as its agreement with a count from the
// rows themselves, so every test here compares it with the live definitions that 012 replaced
// (sweep_recount, and avg/stddev_samp over cell_outcomes), including under concurrent writers, where a
// cell and its result arriving at the same moment must be counted exactly once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startTestPostgres } from '../helpers/postgres.ts';
import { gridCells, rng, syntheticResult } from '../helpers/store-fixtures.ts';
import {
  randomChunks,
  shuffle,
  storeBefore,
  createEarlySweep,
  summaryDisagreements,
  type Summary,
} from '../helpers/tallies.ts';
import { RESULT_METRICS } from '../../trainer/index.ts';
import { createPool } from '../../store/pool.ts';
import { migrate } from '../../store/migrate.ts';
import { createSweep } from '../../store/sweeps.ts';
import { sweepCounts, type SweepCounts } from '../../store/sweep-counts.ts';
import { insertSweepCells, verifySweep } from '../../store/cells.ts';
import { recordFailure, writeResults, type ResultRow } from '../../store/results.ts';
import type { Cell } from '../../sweep/cells.ts';

let server: Awaited<ReturnType<typeof startTestPostgres>>;
let pool: pg.Pool;
const pools: pg.Pool[] = [];

function sweep(id: string) {
  return { id, name: id, spec: { id }, specHash: `h-${id}`, trainerVersion: 'v1' };
}

const summary = (row: Record<string, unknown>, metric: string): Summary => ({
  mean: row[`mean_${metric}`] as number | null,
  sd: row[`sd_${metric}`] as number | null,
});

// Test error's count column carries no suffix in grid_point_stats (as since 003).
const countColumn = (metric: string) => (metric === 'test_error' ? 'n' : `n_${metric}`);

const LIVE_POINTS_SQL = `
SELECT sweep_id, point_key, (array_agg(params - 'seed'))[1] AS params, any_value(method) AS method,
  any_value(snr) AS snr, any_value(n_unlabeled) AS n_unlabeled,
  count(*)::integer AS cells,
  (count(*) FILTER (WHERE has_result))::integer AS seeds,
  (count(*) FILTER (WHERE cached))::integer AS cached,
  (count(*) FILTER (WHERE diverged))::integer AS diverged,
  (count(*) FILTER (WHERE failed))::integer AS failed,
  min(ordinal) AS first_ordinal,
  ${RESULT_METRICS.map((m) => `count(${m})::integer AS "n_${m}", avg(${m}) AS "mean_${m}", stddev_samp(${m}) AS "sd_${m}"`).join(',\n  ')}
FROM cell_outcomes
WHERE sweep_id = ANY($1)
GROUP BY sweep_id, point_key`;

const TALLIED_POINTS_SQL = `
SELECT s.*, t.cached
FROM grid_point_stats s
JOIN grid_point_tallies t ON t.sweep_id = s.sweep_id AND t.point_key = s.point_key
WHERE s.sweep_id = ANY($1)`;

// Every way the tallies of these sweeps disagree with the cells, results and failures, as readable
// lines (empty when they agree), plus the live totals so callers can check what was exercised.
async function disagreements(
  db: pg.Pool,
  sweepIds: string[],
): Promise<{ problems: string[]; totals: SweepCounts & { diverged: number } }> {
  const problems: string[] = [];
  const totals = { total: 0, done: 0, cached: 0, failed: 0, pending: 0, diverged: 0 };
  for (const id of sweepIds) {
    const counts = await sweepCounts(db, id);
    const recount = (await db.query<SweepCounts>('SELECT * FROM sweep_recount($1)', [id])).rows[0];
    if (JSON.stringify(counts) !== JSON.stringify(recount)) {
      problems.push(
        `${id}: sweep_counts ${JSON.stringify(counts)} != sweep_recount ${JSON.stringify(recount)}`,
      );
    }
    const verified = await verifySweep(db, id);
    if (verified.recount !== undefined) problems.push(`${id}: verifySweep found a disagreement`);
    for (const k of ['total', 'done', 'cached', 'failed', 'pending'] as const) totals[k] += recount[k];
  }
  const live = new Map<string, Record<string, unknown>>();
  for (const row of (await db.query(LIVE_POINTS_SQL, [sweepIds])).rows) {
    live.set(`${row.sweep_id} ${row.point_key}`, row);
    totals.diverged += row.diverged as number;
  }
  const tallied = (await db.query(TALLIED_POINTS_SQL, [sweepIds])).rows;
  if (tallied.length !== live.size) problems.push(`${tallied.length} tallied points, ${live.size} live`);
  for (const t of tallied) {
    const key = `${t.sweep_id} ${t.point_key}`;
    const l = live.get(key);
    if (!l) {
      problems.push(`${key}: tallied but has no cells`);
      continue;
    }
    for (const col of ['cells', 'seeds', 'cached', 'diverged', 'failed', 'first_ordinal'] as const) {
      if (t[col] !== l[col]) problems.push(`${key}: ${col} ${t[col]} != live ${l[col]}`);
    }
    for (const col of ['method', 'snr', 'n_unlabeled'] as const) {
      if (t[col] !== l[col]) problems.push(`${key}: ${col} ${t[col]} != live ${l[col]}`);
    }
    if (JSON.stringify(t.params) !== JSON.stringify(l.params)) problems.push(`${key}: params differ`);
    for (const m of RESULT_METRICS) {
      const n = t[countColumn(m)];
      if (n !== l[`n_${m}`]) problems.push(`${key}: ${countColumn(m)} ${n} != live ${l[`n_${m}`]}`);
      problems.push(...summaryDisagreements(`${key} ${m}`, summary(t, m), summary(l, m)));
    }
  }
  return { problems, totals };
}

async function allSweepIds(db: pg.Pool): Promise<string[]> {
  return (await db.query<{ id: string }>('SELECT id FROM sweeps ORDER BY id')).rows.map((r) => r.id);
}

async function recount(db: pg.Pool, id: string): Promise<SweepCounts> {
  return (await db.query<SweepCounts>('SELECT * FROM sweep_recount($1)', [id])).rows[0];
}

function resultFor(cell: Cell, sweepId: string | null, random: () => number): ResultRow {
  return { ...syntheticResult(cell, sweepId ?? 'none', random), sweep_id: sweepId };
}

// Rows as a writer of an older schema stored them: only the result columns that schema has (metrics
// added by later migrations did not exist yet).
async function writeUnderOldSchema(db: pg.Pool, rows: ResultRow[]): Promise<void> {
  const { rows: columns } = await db.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_name = 'results'",
  );
  const names = Object.keys(rows[0]).filter((name) => columns.some((c) => c.column_name === name));
  const values = names.map((_, i) => `$${i + 1}`).join(', ');
  for (const row of rows) {
    await db.query(
      `INSERT INTO results (${names.join(', ')}) VALUES (${values})`,
      names.map((name) => row[name as keyof ResultRow]),
    );
  }
}

// A failure as 011's failures table holds it (recordFailure writes the columns of later migrations too).
async function failUnderOldSchema(db: pg.Pool, sweepId: string, cellKey: string, attempt: number) {
  await db.query(`INSERT INTO failures (sweep_id, cell_key, attempt, error) VALUES ($1, $2, $3, 'gave up')`, [
    sweepId,
    cellKey,
    attempt,
  ]);
}

describe('store tallies (migration 012)', () => {
  before(async () => {
    server = await startTestPostgres();
    await migrate(server.url);
    pool = createPool(server.url, { max: 12 });
  });
  after(async () => {
    for (const p of pools) await p.end();
    await pool?.end();
    await server?.stop();
  });

  test('concurrent cells, results and failures are each counted exactly once', async () => {
    const rounds = [11, 12, 13];
    let failedThenDone = 0;
    for (const [round, seed] of rounds.entries()) {
      const random = rng(seed);
      // Keys shared by the round's sweeps: a result written for one sweep is a cache hit in the others,
      // and lands in whichever of them already registered the cell.
      const universe = gridCells(`race${round}`, 2);
      const sweepIds = [0, 1, 2, 3].map((j) => `race${round}-s${j}`);
      for (const id of sweepIds) await createSweep(pool, sweep(id));
      const members = new Map<string, string[]>();
      const ops: (() => Promise<unknown>)[] = [];
      for (const id of sweepIds) {
        const mine = universe.filter(() => random() < 0.6).map((c, ordinal) => ({ ...c, ordinal }));
        for (const c of mine) members.set(c.key, [...(members.get(c.key) ?? []), id]);
        for (const chunk of randomChunks(mine, random, 25)) {
          ops.push(() => insertSweepCells(pool, id, chunk));
          // A retried registration activity: ON CONFLICT makes it add nothing.
          if (random() < 0.15) ops.push(() => insertSweepCells(pool, id, chunk));
        }
        for (const c of mine) {
          if (random() < 0.12) {
            ops.push(() => recordFailure(pool, { sweep_id: id, cell_key: c.key, attempt: 1, error: 'boom' }));
            if (random() < 0.4) {
              ops.push(() =>
                recordFailure(pool, { sweep_id: id, cell_key: c.key, attempt: 2, error: 'again' }),
              );
            }
          }
        }
      }
      // A failure for a cell its sweep never registers must count nowhere.
      const outsider = universe.find((c) => !members.get(c.key)?.includes(sweepIds[0]));
      if (outsider) {
        ops.push(() =>
          recordFailure(pool, { sweep_id: sweepIds[0], cell_key: outsider.key, attempt: 1, error: 'x' }),
        );
      }
      const rows: ResultRow[] = [];
      for (const c of universe) {
        if (random() >= 0.75) continue;
        const owners = members.get(c.key) ?? [];
        // Trained by one of its sweeps, by a sweep not in this test, or before sweeps were recorded.
        const r = random();
        const owner = owners[Math.floor(random() * owners.length)];
        const by = r < 0.1 ? null : r < 0.2 || owner === undefined ? 'elsewhere' : owner;
        const row = resultFor(c, by, random);
        if (random() < 0.05) {
          for (const m of RESULT_METRICS) row[m] = null;
          row.diverged = true;
        }
        rows.push(row);
      }
      for (const chunk of randomChunks(shuffle(rows, random), random, 12)) {
        ops.push(() => writeResults(pool, chunk));
      }
      // Another worker finishing the same cells: first writer wins, the second inserts nothing.
      const twice = rows.filter(() => random() < 0.25).map((r) => ({ ...r, worker_id: 'worker-late' }));
      for (const chunk of randomChunks(twice, random, 8)) ops.push(() => writeResults(pool, chunk));

      await Promise.all(shuffle(ops, random).map((op) => op()));

      const { problems, totals } = await disagreements(pool, await allSweepIds(pool));
      assert.deepEqual(problems, [], `round ${round}`);
      assert.ok(totals.total > 500, `round ${round}: ${totals.total} cells`);
      assert.ok(totals.cached > 50, `round ${round}: ${totals.cached} cached`);
      assert.ok(totals.failed > 5, `round ${round}: ${totals.failed} failed`);
      assert.ok(totals.pending > 50, `round ${round}: ${totals.pending} pending`);
      assert.ok(totals.diverged > 0, `round ${round}: ${totals.diverged} diverged`);
      failedThenDone += (
        await pool.query(
          `SELECT count(*)::integer AS n FROM cell_outcomes
           WHERE sweep_id = ANY($1) AND has_result AND failed_attempts IS NOT NULL`,
          [sweepIds],
        )
      ).rows[0].n as number;
    }
    assert.ok(failedThenDone > 0, 'some cells had both a failure and a result');
  });

  test('transitions: failed then done, a later attempt, a cell registered after its result', async () => {
    const random = rng(5);
    const cells = gridCells('trans', 1).slice(0, 4);
    await createSweep(pool, sweep('trans-a'));
    await createSweep(pool, sweep('trans-b'));
    await insertSweepCells(pool, 'trans-a', cells);
    const counts = async (id: string) => {
      const c = await sweepCounts(pool, id);
      assert.deepEqual(c, await recount(pool, id), `${id}: tally agrees with recount`);
      return c;
    };
    assert.deepEqual(await counts('trans-a'), { total: 4, done: 0, cached: 0, failed: 0, pending: 4 });

    const failure = { sweep_id: 'trans-a', cell_key: cells[0].key, error: 'out of memory' };
    await recordFailure(pool, { ...failure, attempt: 1 });
    assert.deepEqual(await counts('trans-a'), { total: 4, done: 0, cached: 0, failed: 1, pending: 3 });
    await recordFailure(pool, { ...failure, attempt: 2 });
    assert.deepEqual(await counts('trans-a'), { total: 4, done: 0, cached: 0, failed: 1, pending: 3 });

    await writeResults(pool, [resultFor(cells[0], 'trans-a', random)]);
    assert.deepEqual(await counts('trans-a'), { total: 4, done: 1, cached: 0, failed: 0, pending: 3 });
    // A straggling attempt reported after the result: the cell stays done.
    await recordFailure(pool, { ...failure, attempt: 3 });
    assert.deepEqual(await counts('trans-a'), { total: 4, done: 1, cached: 0, failed: 0, pending: 3 });

    const point = await pool.query(
      'SELECT cells, seeds, failed, cached FROM grid_point_tallies WHERE sweep_id = $1 AND point_key = (SELECT point_key FROM sweep_cells WHERE sweep_id = $1 AND cell_key = $2)',
      ['trans-a', cells[0].key],
    );
    assert.deepEqual(point.rows, [{ cells: 1, seeds: 1, failed: 0, cached: 0 }]);

    await insertSweepCells(pool, 'trans-b', [cells[0], cells[1]]);
    assert.deepEqual(await counts('trans-b'), { total: 2, done: 1, cached: 1, failed: 0, pending: 1 });
    const { problems } = await disagreements(pool, ['trans-a', 'trans-b']);
    assert.deepEqual(problems, []);
  });

  test('backfill: 012 applied to a store filled under 001..011 tallies its rows', async () => {
    const { url, applied } = await storeBefore(server.url, 'backfill', '012');
    assert.equal(applied.length, 11);
    const db = createPool(url, { max: 4 });
    pools.push(db);
    assert.equal((await db.query("SELECT to_regclass('sweep_tallies') AS t")).rows[0].t, null);

    const random = rng(7);
    const shared = gridCells('bf', 3);
    const ids = ['bf-1', 'bf-2', 'bf-3', 'bf-empty'];
    for (const id of ids) await createEarlySweep(db, sweep(id));
    await insertSweepCells(db, 'bf-1', shared);
    await insertSweepCells(
      db,
      'bf-2',
      shared.filter((_, i) => i % 3 !== 0).map((c, ordinal) => ({ ...c, ordinal })),
    );
    await insertSweepCells(db, 'bf-3', gridCells('bf3', 2));
    const rows = [
      ...shared
        .filter(() => random() < 0.7)
        .map((c) => resultFor(c, random() < 0.5 ? 'bf-1' : 'bf-2', random)),
      ...gridCells('bf3', 2)
        .filter(() => random() < 0.5)
        .map((c) => resultFor(c, random() < 0.9 ? 'bf-3' : null, random)),
    ];
    rows[0] = { ...rows[0], diverged: true, test_error: null, test_loss: null };
    await writeUnderOldSchema(db, rows);
    for (const c of shared.filter((_, i) => i % 7 === 1)) {
      await failUnderOldSchema(db, 'bf-1', c.key, 3);
    }
    for (const c of shared.filter((_, i) => i % 5 === 2)) {
      await failUnderOldSchema(db, 'bf-2', c.key, 1);
    }
    // Under 011, sweep_counts is the live count: the backfilled tally must read the same.
    const before = new Map<string, SweepCounts>();
    for (const id of ids) before.set(id, await sweepCounts(db, id));

    // 012 first, then the later migrations.
    assert.equal((await migrate(url)).applied[0], '012_tallies.sql');
    for (const id of ids) assert.deepEqual(await sweepCounts(db, id), before.get(id), id);
    const { problems, totals } = await disagreements(db, ids);
    assert.deepEqual(problems, []);
    assert.ok(totals.cached > 0 && totals.failed > 0 && totals.pending > 0 && totals.diverged > 0);
    assert.deepEqual(await sweepCounts(db, 'bf-empty'), {
      total: 0,
      done: 0,
      cached: 0,
      failed: 0,
      pending: 0,
    });
    assert.equal(
      (await db.query("SELECT count(*)::integer AS n FROM sweep_tallies WHERE sweep_id = 'bf-empty'")).rows[0]
        .n,
      1,
    );

    // And the triggers take over from the backfill.
    await writeResults(
      db,
      gridCells('bf3', 2)
        .filter((c) => !rows.some((r) => r.cell_key === c.key))
        .slice(0, 10)
        .map((c) => resultFor(c, 'bf-3', random)),
    );
    assert.deepEqual((await disagreements(db, ids)).problems, []);
    assert.equal(before.get('bf-3')!.done + 10, (await sweepCounts(db, 'bf-3')).done);
  });

  test('015 moves the metrics trainer versions 1-3 defined otherwise out of the views, and recounts them', async () => {
    const { url } = await storeBefore(server.url, 'before015', '013');
    const db = createPool(url, { max: 4 });
    pools.push(db);
    const random = rng(15);
    const ids = ['v3', 'v4'];
    for (const id of ids) await createEarlySweep(db, sweep(id));
    await insertSweepCells(db, 'v3', gridCells('v3', 2));
    await insertSweepCells(db, 'v4', gridCells('v4', 2));
    const rows = [
      ...gridCells('v3', 2).map((c) => ({ ...resultFor(c, 'v3', random), trainer_version: '3' })),
      ...gridCells('v4', 2).map((c) => ({ ...resultFor(c, 'v4', random), trainer_version: '4' })),
    ];
    await writeUnderOldSchema(db, rows);

    assert.ok((await migrate(url)).applied.includes('015_probe_metrics.sql'));
    const moved = await db.query(
      `SELECT trainer_version, count(signal_learning)::integer AS gamma, count(noise_memorization)::integer AS rho,
         count(best_test_error)::integer AS best, count(signal_learning_before_v4)::integer AS old_gamma,
         count(best_test_error_before_v4)::integer AS old_best
       FROM results GROUP BY trainer_version ORDER BY trainer_version`,
    );
    const stored = (v: string) =>
      rows.filter((r) => r.trainer_version === v && r.signal_learning !== null).length;
    assert.deepEqual(moved.rows, [
      { trainer_version: '3', gamma: 0, rho: 0, best: 0, old_gamma: stored('3'), old_best: stored('3') },
      {
        trainer_version: '4',
        gamma: stored('4'),
        rho: stored('4'),
        best: stored('4'),
        old_gamma: 0,
        old_best: 0,
      },
    ]);
    const stats = await db.query(
      `SELECT sweep_id, sum(n_signal_learning)::integer AS gamma, sum(n_best_test_error)::integer AS best
       FROM grid_point_stats GROUP BY sweep_id ORDER BY sweep_id`,
    );
    assert.equal(stats.rows[0].gamma, 0);
    assert.equal(stats.rows[0].best, 0);
    assert.ok(stats.rows[1].gamma > 0);
    assert.deepEqual((await disagreements(db, ids)).problems, []);
  });

  test('a sweep without cells counts all zeros', async () => {
    await createSweep(pool, sweep('empty'));
    const zero = { total: 0, done: 0, cached: 0, failed: 0, pending: 0 };
    assert.deepEqual(await sweepCounts(pool, 'empty'), zero);
    assert.deepEqual(await recount(pool, 'empty'), zero);
    // The row comes from the sweeps trigger, so the first cells only ever update it.
    const { rows } = await pool.query(
      "SELECT total, done, cached, failed FROM sweep_tallies WHERE sweep_id = 'empty'",
    );
    assert.deepEqual(rows, [{ total: 0, done: 0, cached: 0, failed: 0 }]);
    assert.deepEqual(await sweepCounts(pool, 'no-such-sweep'), zero);
  });

  test('identical values over several statements keep a standard deviation of exactly 0', async () => {
    const random = rng(9);
    // gridCells puts a point's seeds next to each other: the first 12 cells are one grid point.
    const cells = gridCells('const', 12).slice(0, 12);
    await createSweep(pool, sweep('const'));
    await insertSweepCells(pool, 'const', cells);
    const rows = cells.map((c) => ({ ...resultFor(c, 'const', random), diverged: false, test_error: 0.123 }));
    for (const [from, to] of [
      [0, 1],
      [1, 4],
      [4, 5],
      [5, 9],
      [9, 12],
    ]) {
      await writeResults(pool, rows.slice(from, to));
    }
    const { rows: stats } = await pool.query(
      "SELECT n, mean_test_error, sd_test_error, n_test_loss, sd_test_loss FROM grid_point_stats WHERE sweep_id = 'const'",
    );
    assert.equal(stats.length, 1);
    assert.equal(stats[0].n, 12);
    assert.equal(stats[0].sd_test_error, 0);
    assert.ok(Math.abs(stats[0].mean_test_error - 0.123) <= 1e-15);
    // Other metrics vary: a zero above is not a column that is always 0.
    assert.ok(stats[0].sd_test_loss > 0);
  });

  test('vanishing values (a training loss of 1e-300, subnormals) are stored and summarised, never refused', async () => {
    // Postgres raises "value out of range: underflow" when a product of doubles rounds to 0; a worker
    // writing such a loss must not see its result refused (it was, in a first version of 012).
    const random = rng(11);
    const cells = gridCells('tiny', 12).slice(0, 12);
    await createSweep(pool, sweep('tiny'));
    await insertSweepCells(pool, 'tiny', cells);
    const losses = [
      5e-324, 1e-320, 0, 2e-310, 1e-300, 3e-300, 1e-200, 2.5e-200, 1e-160, 1.1e-160, 4e-323, 1e-155,
    ];
    const rows = cells.map((c, i) => ({
      ...resultFor(c, 'tiny', random),
      diverged: false,
      train_loss: losses[i],
      test_loss: 1e-170 * (1 + i),
    }));
    for (const [from, to] of [
      [0, 2],
      [2, 3],
      [3, 7],
      [7, 8],
      [8, 12],
    ]) {
      await writeResults(pool, rows.slice(from, to));
    }
    assert.deepEqual(await sweepCounts(pool, 'tiny'), {
      total: 12,
      done: 12,
      cached: 0,
      failed: 0,
      pending: 0,
    });
    const { rows: live } = await pool.query(
      `SELECT avg(train_loss) AS mean, stddev_samp(train_loss) AS sd, avg(test_loss) AS mean_test_loss
       FROM cell_outcomes WHERE sweep_id = 'tiny'`,
    );
    const { rows: stats } = await pool.query(
      "SELECT n_train_loss, mean_train_loss, sd_train_loss, mean_test_loss, ci95_low_train_loss FROM grid_point_stats WHERE sweep_id = 'tiny'",
    );
    assert.equal(stats[0].n_train_loss, 12);
    assert.ok(Math.abs(stats[0].mean_train_loss - live[0].mean) <= 1e-12 * live[0].mean);
    // The sum of squared deviations is itself subnormal here (about 1e-310, 14 bits of precision), in
    // stddev_samp as in the tally: they can only agree to about 1e-4.
    assert.ok(Math.abs(stats[0].sd_train_loss - live[0].sd) <= 1e-3 * live[0].sd);
    assert.ok(Math.abs(stats[0].mean_test_loss - live[0].mean_test_loss) <= 1e-12 * live[0].mean_test_loss);
    assert.ok(Number.isFinite(stats[0].ci95_low_train_loss));
  });

  test('verify reports a tally that disagrees with the cells, with the true counts', async () => {
    const random = rng(3);
    const cells = gridCells('verify', 2).slice(0, 20);
    await createSweep(pool, sweep('verify'));
    await insertSweepCells(pool, 'verify', cells);
    await writeResults(
      pool,
      cells.slice(1).map((c) => resultFor(c, 'verify', random)),
    );
    await recordFailure(pool, { sweep_id: 'verify', cell_key: cells[0].key, attempt: 3, error: 'x' });
    // Complete, so that `ok` below turns false only because the tally disagrees.
    const truth = { total: 20, done: 19, cached: 0, failed: 1, pending: 0 };
    assert.deepEqual(await verifySweep(pool, 'verify'), { counts: truth, ok: true });

    await pool.query("UPDATE sweep_tallies SET done = done - 1 WHERE sweep_id = 'verify'");
    assert.deepEqual(await verifySweep(pool, 'verify'), {
      counts: { ...truth, done: 18, pending: 1 },
      ok: false,
      recount: truth,
    });
  });
});
