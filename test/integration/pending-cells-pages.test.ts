import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { startTestPostgres } from '../helpers/postgres.ts';
import { rng, syntheticResult } from '../helpers/store-fixtures.ts';
import { parseCellParams } from '../../trainer/index.ts';
import { createPool } from '../../store/pool.ts';
import { migrate } from '../../store/migrate.ts';
import { createSweep } from '../../store/sweeps.ts';
import { insertSweepCells, pendingCells } from '../../store/cells.ts';
import { SWEEP_CELL_PAGE_SQL } from '../../store/queries.ts';
import { recordFailure, writeResults } from '../../store/results.ts';

// Planning a sweep's batches used to cost its size squared: the pending-cells query filtered before it
// limited, and the planner, which cannot tell how many cells are pending (nor, before the table is
// analysed, how many a fresh sweep has), probed and sorted every cell after the cursor for each page.

interface PlanNode {
  'Node Type': string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

const CELLS = 20_000;
let server: Awaited<ReturnType<typeof startTestPostgres>>;
let pool: pg.Pool;

describe('pending cells, page by page', () => {
  before(async () => {
    server = await startTestPostgres();
    await migrate(server.url);
    pool = createPool(server.url, { max: 4 });
    await createSweep(pool, {
      id: 'p1',
      name: 'pages',
      spec: { name: 'pages' },
      specHash: 'h',
      trainerVersion: 'v1',
    });
    await insertSweepCells(
      pool,
      'p1',
      Array.from({ length: CELLS }, (_, i) => ({
        key: `p1-${i}`,
        ordinal: i,
        params: parseCellParams({ method: 'noop', snr: 0.01 * ((i % 100) + 1), seed: Math.floor(i / 100) }),
      })),
    );
  });
  after(async () => {
    await pool?.end();
    await server?.stop();
  });

  test('a page reads only its own cells, wherever it starts, in a freshly registered sweep', async () => {
    for (const from of [-1, 9_999, CELLS - 3_201]) {
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${SWEEP_CELL_PAGE_SQL}`, [
        'p1',
        from,
        from + 3_200,
      ]);
      const plan = nodes((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan);
      const widest = Math.max(...plan.map((n) => n['Actual Rows'] * n['Actual Loops']));
      assert.equal(widest, 3_200, `after ${from}: a plan node handled ${widest} rows for a page of 3,200`);
    }
  });

  test('pending cells skip done and failed ones across pages and stop at the bound asked for', async () => {
    // Ordinals 100..4,099 done (4,000 cells: more than a page), 4,100 failed.
    const done = Array.from({ length: 4_000 }, (_, i) => `p1-${100 + i}`);
    await writeResults(
      pool,
      done.map((key) => ({
        ...syntheticResult({ key, ordinal: 0, params: parseCellParams({}) }, 'p1', rng(1)),
        worker_id: 'w',
      })),
    );
    await recordFailure(pool, { sweep_id: 'p1', cell_key: 'p1-4100', attempt: 3, error: 'boom' });
    const page = await pendingCells(pool, 'p1', 49, 100);
    assert.deepEqual(
      page.map((c) => c.ordinal),
      [...Array.from({ length: 50 }, (_, i) => 50 + i), ...Array.from({ length: 50 }, (_, i) => 4_101 + i)],
    );
    assert.equal(page[0].key, 'p1-50');
    assert.equal(page[0].params.seed, 0);
    assert.deepEqual(await pendingCells(pool, 'p1', 99, 100, 4_100), []);
    assert.deepEqual(
      (await pendingCells(pool, 'p1', 4_099, 100, 4_102)).map((c) => c.ordinal),
      [4_101, 4_102],
    );
    assert.deepEqual(
      (await pendingCells(pool, 'p1', CELLS - 3, 100)).map((c) => c.ordinal),
      [CELLS - 2, CELLS - 1],
    );
    assert.deepEqual(await pendingCells(pool, 'p1', CELLS - 1, 100), []);
  });
});
