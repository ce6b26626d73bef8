// Store benchmark: bulk-writes 100,000 results and 1,000,000 curve points into a fresh embedded
// Postgres, then times every CLI/dashboard query of store/queries.ts at that size.
// Usage: npm run bench:store -- [--out FILE] [--results N] [--curve-points-per-result K] [--repeats R]
//          [--baseline CHECKOUT]
// --baseline: a checkout of another commit. Its migrations build a second database on the same server
// with the same rows, and its query catalogue is timed against ours, query by query, alternating.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import type pg from 'pg';
import { startTestPostgres } from '../test/helpers/postgres.ts';
import { loadSyntheticSweeps, type LoadedData } from '../test/helpers/store-fixtures.ts';
import { createPool } from '../store/pool.ts';
import { migrate } from '../store/migrate.ts';
import { QUERY_CATALOGUE, type CatalogueEntry } from '../store/queries.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    results: { type: 'string', default: '100000' },
    'curve-points-per-result': { type: 'string', default: '10' },
    repeats: { type: 'string', default: '5' },
    baseline: { type: 'string' },
  },
});
const results = Number(values.results);
const perResult = Number(values['curve-points-per-result']);
const repeats = Number(values.repeats);

interface Side {
  pool: pg.Pool;
  data: LoadedData;
  catalogue: Record<string, CatalogueEntry>;
}

async function prepare(url: string, migrationsDir: string | undefined, catalogue: Side['catalogue']) {
  await migrate(url, migrationsDir ? { dir: migrationsDir } : {});
  const pool = createPool(url, { max: 4 });
  const data = await loadSyntheticSweeps(pool, { results, seeds: 33, curvePointsPerResult: perResult });
  return { pool, data, catalogue };
}

function argsOf(side: Side, entry: CatalogueEntry): unknown[] {
  const { data } = side;
  return entry.args({
    sweepId: data.sweepIds[Math.floor(data.sweepIds.length / 2)],
    sweepName: 'nightly-1',
    scheduleId: data.scheduleId,
    cellKey: data.cellKey,
  });
}

async function timeOnce(side: Side, name: string): Promise<number> {
  const entry = side.catalogue[name];
  const t = performance.now();
  await side.pool.query(entry.sql, argsOf(side, entry));
  return performance.now() - t;
}

// Execution inside Postgres alone (no transfer, no row parsing in Node), without per-node timing.
async function serverMs(side: Side, name: string): Promise<number> {
  const entry = side.catalogue[name];
  const { rows } = await side.pool.query(
    `EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${entry.sql}`,
    argsOf(side, entry),
  );
  return (rows[0]['QUERY PLAN'] as { 'Execution Time': number }[])[0]['Execution Time'];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round2 = (x: number) => Number(x.toFixed(2));

const server = await startTestPostgres();
const sides: Side[] = [];
try {
  const ours = await prepare(server.url, undefined, QUERY_CATALOGUE);
  sides.push(ours);
  let baseline: Side | undefined;
  if (values.baseline) {
    const dir = resolve(values.baseline);
    const queries = (await import(pathToFileURL(join(dir, 'store/queries.ts')).href)) as {
      QUERY_CATALOGUE: Side['catalogue'];
    };
    await ours.pool.query('CREATE DATABASE baseline');
    const url = new URL(server.url);
    url.pathname = '/baseline';
    baseline = await prepare(url.toString(), join(dir, 'store/migrations'), queries.QUERY_CATALOGUE);
    sides.push(baseline);
  }
  // Median of `repeats` runs after one warm-up: what a dashboard refresh sees with a warm cache. With a
  // baseline, its run follows ours each time, so both see the same machine load.
  const queryMs: Record<string, number> = {};
  const serverExecMs: Record<string, number> = {};
  const baselineMs: Record<string, number> = {};
  const baselineServerMs: Record<string, number> = {};
  const ratio: Record<string, number> = {};
  for (const name of Object.keys(QUERY_CATALOGUE)) {
    const both = baseline && name in baseline.catalogue ? [ours, baseline] : [ours];
    for (const side of both) await timeOnce(side, name);
    const times = both.map(() => [] as number[]);
    const exec = both.map(() => [] as number[]);
    for (let i = 0; i < repeats; i++) {
      for (const [k, side] of both.entries()) {
        times[k].push(await timeOnce(side, name));
        exec[k].push(await serverMs(side, name));
      }
    }
    queryMs[name] = round2(median(times[0]));
    serverExecMs[name] = round2(median(exec[0]));
    if (both.length === 2) {
      baselineMs[name] = round2(median(times[1]));
      baselineServerMs[name] = round2(median(exec[1]));
      ratio[name] = Number((median(exec[0]) / median(exec[1])).toPrecision(2));
    }
  }
  const report = {
    results: ours.data.results,
    curve_points: ours.data.curvePoints,
    sweeps: ours.data.sweepIds.length,
    results_rows_per_s: Math.round(ours.data.results / (ours.data.resultsMs / 1000)),
    curve_points_per_s: Math.round(ours.data.curvePoints / (ours.data.curvesMs / 1000)),
    query_ms_max: Math.max(...Object.values(queryMs)),
    query_ms: queryMs,
    query_server_ms: serverExecMs,
    ...(baseline
      ? {
          baseline: values.baseline,
          baseline_results_rows_per_s: Math.round(baseline.data.results / (baseline.data.resultsMs / 1000)),
          baseline_curve_points_per_s: Math.round(
            baseline.data.curvePoints / (baseline.data.curvesMs / 1000),
          ),
          baseline_query_ms: baselineMs,
          baseline_query_server_ms: baselineServerMs,
          server_ms_ratio_to_baseline: ratio,
        }
      : {}),
    cpu_model: cpus()[0]?.model,
    load_average_1m: Number(loadavg()[0].toFixed(2)),
    targets: { results_rows_per_s: 20_000, curve_points_per_s: 200_000, query_ms_max: 50 },
  };
  console.log(JSON.stringify(report, null, 2));
  if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  for (const side of sides) await side.pool.end();
  await server.stop();
}
