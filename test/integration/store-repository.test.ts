import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startTestPostgres } from '../helpers/postgres.ts';
import { rng, syntheticCurve, syntheticResult } from '../helpers/store-fixtures.ts';
import { parseCellParams } from '../../trainer/index.ts';
import { createPool } from '../../store/pool.ts';
import { migrate } from '../../store/migrate.ts';
import { createSweep, getSweep, listSweeps, updateSweep } from '../../store/sweeps.ts';
import { sweepCounts } from '../../store/sweep-counts.ts';
import { insertSweepCells, pendingCells, verifySweep } from '../../store/cells.ts';
import type { Cell } from '../../sweep/cells.ts';
import {
  existingResultKeys,
  recordFailure,
  sweepResultPages,
  writeCurves,
  writeResults,
  type ResultRow,
} from '../../store/results.ts';

let server: Awaited<ReturnType<typeof startTestPostgres>>;
let pool: pg.Pool;

function sweep(id: string, name: string, scheduleId?: string) {
  return { id, name, spec: { name }, specHash: `h-${id}`, trainerVersion: 'v1', scheduleId };
}

function cells(prefix: string, n: number): Cell[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `${prefix}${i}`,
    ordinal: i,
    params: parseCellParams({ method: i % 2 ? 'simclr' : 'supervised', snr: 0.1 * (i + 1), seed: i }),
  }));
}

function result(key: string, sweepId: string | null, worker = 'w'): ResultRow {
  return {
    ...syntheticResult({ key, ordinal: 0, params: parseCellParams({}) }, sweepId ?? 'x', rng(key.length)),
    sweep_id: sweepId,
    worker_id: worker,
  };
}

async function count(sql: string, args: unknown[] = []): Promise<number> {
  return (await pool.query(sql, args)).rows[0].n as number;
}

describe('store repository', () => {
  before(async () => {
    server = await startTestPostgres();
    await migrate(server.url);
    pool = createPool(server.url, { max: 12 });
  });
  after(async () => {
    await pool?.end();
    await server?.stop();
  });

  test('sweeps: idempotent create, lookup by id or newest name, listing, patching', async () => {
    await createSweep(pool, { ...sweep('a1', 'alpha', 'nightly'), tags: { owner: 'lab' } });
    await createSweep(pool, sweep('a1', 'renamed'));
    await new Promise((r) => setTimeout(r, 5));
    await createSweep(pool, sweep('a2', 'alpha', 'nightly'));
    await createSweep(pool, sweep('b1', 'beta'));
    const a1 = await getSweep(pool, 'a1');
    assert.equal(a1?.name, 'alpha');
    assert.deepEqual(a1?.tags, { owner: 'lab' });
    assert.deepEqual(a1?.spec, { name: 'alpha' });
    assert.equal(a1?.status, 'pending');
    assert.ok(a1?.created_at instanceof Date);
    assert.equal((await getSweep(pool, 'alpha'))?.id, 'a2');
    assert.equal(await getSweep(pool, 'nope'), undefined);
    assert.deepEqual(
      (await listSweeps(pool)).map((s) => s.id),
      ['b1', 'a2', 'a1'],
    );
    assert.deepEqual(
      (await listSweeps(pool, { scheduleId: 'nightly', limit: 1 })).map((s) => s.id),
      ['a2'],
    );
    const started = new Date('2026-01-02T03:04:05Z');
    await updateSweep(pool, 'a1', {
      status: 'running',
      started_at: started,
      workflow_id: 'wf',
    });
    const patched = await getSweep(pool, 'a1');
    assert.equal(patched?.status, 'running');
    assert.equal(patched?.started_at?.toISOString(), started.toISOString());
    assert.equal(patched?.workflow_id, 'wf');
    await assert.rejects(updateSweep(pool, 'missing', { status: 'running' }), /no sweep with id missing/);
    await assert.rejects(
      updateSweep(pool, 'a1', { name: 'x' } as unknown as Parameters<typeof updateSweep>[2]),
      /not updatable: name/,
    );
  });

  test('cells: idempotent bulk insert with typed coordinates, paging through pending cells', async () => {
    await createSweep(pool, sweep('c1', 'cells'));
    const all = cells('c1-', 12_000);
    await insertSweepCells(pool, 'c1', all);
    await insertSweepCells(pool, 'c1', all.slice(0, 100));
    assert.equal(await count("SELECT count(*)::integer AS n FROM sweep_cells WHERE sweep_id = 'c1'"), 12_000);
    const typed = await pool.query(
      "SELECT method, n_unlabeled, pretrain_steps, snr, seed, params FROM sweep_cells WHERE sweep_id = 'c1' AND ordinal IN (0, 1) ORDER BY ordinal",
    );
    assert.equal(typed.rows[0].method, 'supervised');
    assert.equal(typed.rows[0].n_unlabeled, null);
    assert.equal(typed.rows[0].pretrain_steps, null);
    assert.equal(typed.rows[1].method, 'simclr');
    assert.equal(typed.rows[1].n_unlabeled, all[1].params.n_unlabeled);
    assert.equal(typed.rows[1].pretrain_steps, all[1].params.pretrain_steps);
    assert.equal(typed.rows[1].snr, all[1].params.snr);
    assert.deepEqual(typed.rows[1].params, all[1].params);

    // Cell 0 is a cache hit from another sweep's result, cell 1 failed, cell 2 has its own result.
    await writeResults(pool, [result('c1-0', 'other'), result('c1-2', 'c1')]);
    await recordFailure(pool, { sweep_id: 'c1', cell_key: 'c1-1', attempt: 3, error: 'out of memory' });
    const page = await pendingCells(pool, 'c1', -1, 3);
    assert.deepEqual(
      page.map((c) => [c.key, c.ordinal]),
      [
        ['c1-3', 3],
        ['c1-4', 4],
        ['c1-5', 5],
      ],
    );
    assert.deepEqual(page[0].params, all[3].params);
    const next = await pendingCells(pool, 'c1', 5, 2);
    assert.deepEqual(
      next.map((c) => c.ordinal),
      [6, 7],
    );
    const counts = { total: 12_000, done: 2, cached: 1, failed: 1, pending: 11_997 };
    assert.deepEqual(await sweepCounts(pool, 'c1'), counts);
    assert.deepEqual((await getSweep(pool, 'c1'))?.counts, counts);
    assert.deepEqual(await verifySweep(pool, 'c1'), { counts, ok: false });
  });

  test('a sweep whose every cell has a result or a failure verifies ok', async () => {
    await createSweep(pool, sweep('v1', 'verify'));
    const vc = cells('v1-', 4);
    await insertSweepCells(pool, 'v1', vc);
    await writeResults(
      pool,
      vc.slice(0, 3).map((c) => result(c.key, 'v1')),
    );
    await recordFailure(pool, { sweep_id: 'v1', cell_key: 'v1-3', attempt: 1, error: 'first' });
    await recordFailure(pool, { sweep_id: 'v1', cell_key: 'v1-3', attempt: 2, error: 'second' });
    assert.deepEqual(await verifySweep(pool, 'v1'), {
      counts: { total: 4, done: 3, cached: 0, failed: 1, pending: 0 },
      ok: true,
    });
    // Pages of 3: the keyset continues after the last ordinal of a full page, and stops at a short one.
    const pages = [];
    for await (const page of sweepResultPages(pool, 'v1', 3)) pages.push(page);
    assert.deepEqual(
      pages.map((p) => p.length),
      [3, 1],
    );
    const rows = pages.flat();
    assert.deepEqual(
      rows.map((r) => r.status),
      ['done', 'done', 'done', 'failed'],
    );
    assert.equal(rows[3].failure, 'second');
    assert.equal(rows[3].failed_attempts, 2);
    assert.equal(
      rows[0].test_error,
      (await pool.query("SELECT test_error FROM results WHERE cell_key = 'v1-0'")).rows[0].test_error,
    );
    assert.equal(rows[1].method, 'simclr');
  });

  test('ten concurrent writers of overlapping keys leave exactly one row per key', async () => {
    const keys = Array.from({ length: 3_000 }, (_, i) => `race-${String(i).padStart(5, '0')}`);
    const random = rng(7);
    // Each writer takes an overlapping window of keys, shuffled, in several calls.
    const writers = Array.from({ length: 10 }, (_, w) => {
      const mine = keys.slice(w * 200, w * 200 + 1_200).sort(() => random() - 0.5);
      return (async () => {
        let inserted = 0;
        for (let i = 0; i < mine.length; i += 400) {
          inserted += await writeResults(
            pool,
            mine.slice(i, i + 400).map((k) => result(k, null, `worker-${w}`)),
          );
        }
        return inserted;
      })();
    });
    const inserted = (await Promise.all(writers)).reduce((a, b) => a + b, 0);
    const distinct = new Set(keys.slice(0, 9 * 200 + 1_200)).size;
    assert.equal(inserted, distinct);
    assert.equal(
      await count("SELECT count(*)::integer AS n FROM results WHERE cell_key LIKE 'race-%'"),
      distinct,
    );
    assert.equal(
      await count(
        "SELECT count(*)::integer AS n FROM (SELECT cell_key FROM results WHERE cell_key LIKE 'race-%' GROUP BY cell_key HAVING count(*) > 1) d",
      ),
      0,
    );
    const found = await existingResultKeys(pool, ['race-00000', 'race-02999', 'never-written']);
    assert.deepEqual([...found].sort(), ['race-00000', 'race-02999']);
  });

  test('curves: bulk writes, a repeated or overlapping write adds only the new points', async () => {
    const random = rng(3);
    const first = Array.from({ length: 300 }, (_, i) => syntheticCurve(`curve-${i}`, 10, random)).flat();
    await writeCurves(pool, first);
    // Overlaps the first write by half, so COPY hits the primary key and the idempotent path takes over.
    const second = Array.from({ length: 300 }, (_, i) =>
      syntheticCurve(`curve-${i + 150}`, 10, random),
    ).flat();
    await writeCurves(pool, second);
    await writeCurves(pool, second);
    assert.equal(
      await count("SELECT count(*)::integer AS n FROM curves WHERE cell_key LIKE 'curve-%'"),
      450 * 10,
    );
    const stored = await pool.query(
      "SELECT step, train_loss FROM curves WHERE cell_key = 'curve-0' ORDER BY step",
    );
    assert.deepEqual(
      stored.rows.map((r) => r.step),
      first.slice(0, 10).map((p) => p.step),
    );
    assert.equal(stored.rows[3].train_loss, first[3].train_loss);
    await writeCurves(pool, [
      { cell_key: 'odd\tkey\\with\nescapes', step: 1, train_loss: null, test_error: 0.5 },
    ]);
    const odd = await pool.query(
      'SELECT cell_key, train_loss FROM curves WHERE step = 1 AND test_error = 0.5',
    );
    assert.deepEqual(odd.rows, [{ cell_key: 'odd\tkey\\with\nescapes', train_loss: null }]);
  });
});
