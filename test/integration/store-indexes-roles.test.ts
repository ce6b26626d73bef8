import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestPostgres } from '../helpers/postgres.ts';
import { loadSyntheticSweeps, type LoadedData } from '../helpers/store-fixtures.ts';
import { createPool } from '../../store/pool.ts';
import { migrate } from '../../store/migrate.ts';
import { QUERY_CATALOGUE } from '../../store/queries.ts';
import { ensureRoles } from '../../store/roles.ts';

let server: Awaited<ReturnType<typeof startTestPostgres>>;
let pool: pg.Pool;
let data: LoadedData;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

function urlAs(user: string, password: string): string {
  const url = new URL(server.url);
  url.username = user;
  url.password = password;
  return url.toString();
}

async function as<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('store at 100,000 results: indexes and roles', () => {
  before(async () => {
    server = await startTestPostgres();
    await migrate(server.url);
    pool = createPool(server.url, { max: 4 });
    data = await loadSyntheticSweeps(pool, { results: 100_000, seeds: 33, curvePointsPerResult: 2 });
    // Five years of nightly runs' worth of sweep rows, so sweep listings are not trivially small.
    await pool.query(`INSERT INTO sweeps (id, name, spec, spec_hash, trainer_version, schedule_id, created_at)
      SELECT 'old-' || i, 'old-' || (i % 50), '{}', 'h', 'v', CASE WHEN i % 2 = 0 THEN 'other' END,
        now() - i * interval '1 day'
      FROM generate_series(1, 2000) i`);
    // And their refined boundaries, seven groups a sweep, so that boundary look-ups need their index.
    await pool.query(`INSERT INTO boundaries (sweep_id, group_key, group_values, axis, metric, threshold, kind,
        crossings, open_brackets, brackets, rounds, cells)
      SELECT 'old-' || i, 'n_labels=' || g, jsonb_build_object('n_labels', g), 'snr', 'test_error', 0.25,
        'crossing', 1, 0, '[]', 3, 20
      FROM generate_series(1, 2000) i, unnest(ARRAY[4, 8, 16, 32, 64, 128, 256]) g`);
    // And their slopes, one per method, so that slope look-ups need their index too.
    await pool.query(`INSERT INTO boundary_slopes (sweep_id, part_key, source, where_values, axis, x_axis,
        slope, groups, resamples, failed_resamples, left_out)
      SELECT 'old-' || i, m, 'refine', jsonb_build_object('method', m), 'snr', 'n_labels', -0.3, 7, 2000, 0, '[]'
      FROM generate_series(1, 2000) i, unnest(ARRAY['supervised', 'simclr']) m`);
    await pool.query('ANALYZE');
  });
  after(async () => {
    await pool?.end();
    await server?.stop();
  });

  test('EXPLAIN of every CLI and dashboard query uses an index and scans no large table', async () => {
    assert.equal(data.results, 100_000);
    const ctx = {
      sweepId: data.sweepIds[5],
      sweepName: 'nightly-1',
      scheduleId: data.scheduleId,
      cellKey: data.cellKey,
    };
    for (const [name, q] of Object.entries(QUERY_CATALOGUE)) {
      const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) ${q.sql}`, q.args(ctx));
      const plan = nodes((rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan);
      const seqScans = plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
      // failures stays small (one row per exhausted cell): scanning it can be the planner's right call.
      assert.deepEqual(
        seqScans.filter((r) => r !== 'failures'),
        [],
        `${name}: sequential scans of ${seqScans.join(', ')}`,
      );
      assert.ok(
        plan.some((n) => /Index/.test(n['Node Type'])),
        `${name}: no index in plan ${plan.map((n) => n['Node Type']).join(' > ')}`,
      );
    }
  });

  test('ensureRoles: writer writes, reader only reads; re-running is a no-op that can rotate passwords', async () => {
    const roles = await ensureRoles(pool, { readerPassword: 'read-1', writerPassword: 'write-1' });
    assert.deepEqual(roles, { writerRole: 'phasesweep_writer', readerRole: 'phasesweep_reader' });
    await ensureRoles(pool, { readerPassword: 'read-2', writerPassword: 'write-1' });
    await assert.rejects(
      as(urlAs('phasesweep_reader', 'read-1'), async () => undefined),
      /password/,
    );

    const reader = urlAs('phasesweep_reader', 'read-2');
    const counted = await as(reader, (c) => c.query('SELECT count(*)::integer AS n FROM results'));
    assert.equal(counted.rows[0].n, 100_000);
    const stats = await as(reader, (c) =>
      c.query('SELECT count(*)::integer AS n FROM grid_point_stats WHERE sweep_id = $1', [data.sweepIds[0]]),
    );
    assert.ok(stats.rows[0].n > 0);
    await assert.rejects(
      as(reader, (c) =>
        c.query(
          "INSERT INTO failures (sweep_id, cell_key, attempt, error) VALUES ('sweep-000', 'k', 1, 'e')",
        ),
      ),
      /permission denied|read-only transaction/,
    );
    await assert.rejects(
      as(reader, (c) => c.query('CREATE TABLE sneaky (x integer)')),
      /permission denied|read-only/,
    );

    const writer = urlAs('phasesweep_writer', 'write-1');
    await as(writer, (c) =>
      c.query(
        "INSERT INTO failures (sweep_id, cell_key, attempt, error) VALUES ('sweep-000', 'roles-k', 1, 'e')",
      ),
    );
    await assert.rejects(
      as(writer, (c) => c.query('CREATE TABLE sneaky (x integer)')),
      /permission denied/,
    );
    // A worker starting as the writer migrates too: with nothing pending that must succeed.
    assert.deepEqual((await migrate(writer)).applied, []);
  });

  test('ensureRoles refuses unusable role names and a missing reader password as bad input', async () => {
    for (const opts of [
      { readerPassword: 'x', readerRole: 'Robert"); DROP TABLE results; --' },
      { readerPassword: '' },
      { readerPassword: 'x', readerRole: 'same', writerRole: 'same' },
    ]) {
      await assert.rejects(
        ensureRoles(pool, opts),
        (err: Error & { badInput?: boolean }) => err.badInput === true,
      );
    }
  });
});
