// Store benchmark: bulk-writes 100,000 results and 1,000,000 curve points into a fresh embedded
// Postgres, then times every CLI/dashboard query of store/queries.ts at that size.
// Usage: npm run bench:store -- [--out FILE] [--results N] [--curve-points-per-result K]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { startTestPostgres } from '../test/helpers/postgres.ts';
import { loadSyntheticSweeps } from '../test/helpers/store-fixtures.ts';
import { createPool } from '../store/pool.ts';
import { migrate } from '../store/migrate.ts';
import { QUERY_CATALOGUE } from '../store/queries.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    results: { type: 'string', default: '100000' },
    'curve-points-per-result': { type: 'string', default: '10' },
    repeats: { type: 'string', default: '5' },
  },
});
const results = Number(values.results);
const perResult = Number(values['curve-points-per-result']);
const repeats = Number(values.repeats);

const server = await startTestPostgres();
const pool = createPool(server.url, { max: 4 });
try {
  await migrate(server.url);
  const data = await loadSyntheticSweeps(pool, { results, seeds: 33, curvePointsPerResult: perResult });
  const ctx = {
    sweepId: data.sweepIds[Math.floor(data.sweepIds.length / 2)],
    sweepName: 'nightly-1',
    scheduleId: data.scheduleId,
    cellKey: data.cellKey,
  };
  // Median of `repeats` runs after one warm-up: what a dashboard refresh sees with a warm cache.
  const queryMs: Record<string, number> = {};
  const serverMs: Record<string, number> = {};
  for (const [name, q] of Object.entries(QUERY_CATALOGUE)) {
    const args = q.args(ctx);
    await pool.query(q.sql, args);
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t = performance.now();
      await pool.query(q.sql, args);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    queryMs[name] = Number(times[Math.floor(times.length / 2)].toFixed(2));
    // Execution inside Postgres alone (no transfer, no row parsing in Node), without per-node timing.
    const { rows } = await pool.query(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${q.sql}`, args);
    serverMs[name] = Number(
      (rows[0]['QUERY PLAN'] as { 'Execution Time': number }[])[0]['Execution Time'].toFixed(2),
    );
  }
  const report = {
    results: data.results,
    curve_points: data.curvePoints,
    sweeps: data.sweepIds.length,
    results_rows_per_s: Math.round(data.results / (data.resultsMs / 1000)),
    curve_points_per_s: Math.round(data.curvePoints / (data.curvesMs / 1000)),
    query_ms_max: Math.max(...Object.values(queryMs)),
    query_ms: queryMs,
    query_server_ms: serverMs,
    load_average_1m: Number(loadavg()[0].toFixed(2)),
    targets: { results_rows_per_s: 20_000, curve_points_per_s: 200_000, query_ms_max: 50 },
  };
  console.log(JSON.stringify(report, null, 2));
  if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  await pool.end();
  await server.stop();
}
