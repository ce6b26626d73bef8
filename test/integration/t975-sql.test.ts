// Postgres's t975() (migration 014, written from sweep/stats.ts) against the TypeScript: the same
// quantile over the table and the expansion beyond it, and so the same 95% interval in grid_point_stats
// as summarizeMetric gives.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { migrate } from '../../store/migrate.ts';
import { summarizeMetric, T975_TABLE_DF, tQuantile } from '../../sweep/stats.ts';
import { startTestPostgres } from '../helpers/postgres.ts';

let server: Awaited<ReturnType<typeof startTestPostgres>>;
let client: pg.Client;

before(async () => {
  server = await startTestPostgres();
  await migrate(server.url);
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
});

after(async () => {
  await client?.end();
  await server?.stop();
});

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

test('t975(df) agrees with tQuantile(0.975, df) to 1e-12, in the table and beyond it', async () => {
  const dfs = [
    ...Array.from({ length: 2 * T975_TABLE_DF }, (_, i) => i + 1),
    1_000,
    10_000,
    1_000_000,
    2_000_000_000,
  ];
  const { rows } = await client.query<{ df: number; t: number }>(
    'SELECT df, t975(df) AS t FROM unnest($1::integer[]) AS df',
    [dfs],
  );
  for (const { df, t } of rows) {
    const expected = tQuantile(0.975, df);
    if (df <= T975_TABLE_DF) assert.equal(t, expected, `df=${df}`);
    else assert.ok(relative(t, expected) < 1e-12, `df=${df}: ${t} vs ${expected}`);
  }
  const none = await client.query('SELECT t975(0) AS zero, t975(NULL) AS missing');
  assert.deepEqual(none.rows[0], { zero: null, missing: null });
});

test("the interval SQL computes with t975 is summarizeMetric's", async () => {
  const samples = [
    [2, 0.3, 0.1],
    [3, 0.25, 0.05],
    [10, 0.1, 0.02],
    [40, 0.45, 0.2],
    [400, 0.5, 0.01],
  ];
  for (const [n, mean, sd] of samples) {
    const { rows } = await client.query<{ low: number; high: number }>(
      'SELECT $2::float8 - t975($1 - 1) * $3::float8 / sqrt($1) AS low, $2::float8 + t975($1 - 1) * $3::float8 / sqrt($1) AS high',
      [n, mean, sd],
    );
    const ts = summarizeMetric(n, mean, sd);
    assert.ok(relative(rows[0].low, ts.ci95_low!) < 1e-12, `n=${n} low`);
    assert.ok(relative(rows[0].high, ts.ci95_high!) < 1e-12, `n=${n} high`);
  }
});
