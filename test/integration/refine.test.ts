// refine: end to end on a real Temporal dev server, a real Postgres and real `phasesweep worker`
// processes training real supervised cells: the rounds bisect SNR until the brackets are narrow,
// `show --json` has the boundaries, a re-run is all cache hits with the same boundaries, and a worker
// SIGKILLed mid-round ends with the same boundaries and a clean verify. About 60-90 s.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseSpecText } from '../../sweep/spec.ts';
import { awaitSweep, queryProgress } from '../../client/await-sweep.ts';
import { connectClient } from '../../client/connect.ts';
import { startSweep } from '../../client/start-sweep.ts';
import { runPhasesweep, startTestStack } from '../helpers/stack.ts';
import { queryRows, spawnWorker, stackEnv, waitFor, writeSpec, type WorkerProcess } from './sweep-helpers.ts';

// Two rows of the supervised diagram (paper-spec 6.1 settings, fewer test points): n = 16 crosses
// 0.25 between SNR 0.36 and 0.46, n = 64 between 0.28 and 0.36. Four coarse SNRs, bisected to 0.05
// in log10 SNR: three rounds of one value x two seeds per row. Each test has its own seeds, so that
// the killed sweep trains for real instead of hitting the first test's cache.
function refined(firstSeed: number) {
  return {
    method: 'supervised',
    grid: {
      n_labels: [16, 64],
      snr: { geomspace: [0.1, 1.0, 4] },
      seed: { range: [firstSeed, firstSeed + 2] },
    },
    fixed: { d: 200, m: 10, q: 3, sigma0: 0.01, lr: 1, steps: 1000, n_test: 400 },
    resources: { batch_size: 2, max_in_flight: 2 },
    refine: { axis: 'snr', metric: 'test_error', threshold: 0.25, resolution: 0.05, max_rounds: 8 },
  };
}
const RESOLUTION = 0.05;

const TEST_TIMEOUT_MS = 300_000;

let stack: Awaited<ReturnType<typeof startTestStack>>;
let env: NodeJS.ProcessEnv;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phasesweep-refine-'));
  stack = await startTestStack();
  env = stackEnv(stack.endpoints, stack.home);
});

after(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface ShownBoundary {
  method: string;
  n_labels: number;
  kind: string;
  crossing: number | null;
  bracket: [number, number] | null;
  rounds: number;
  cells: number;
}

async function show(sweepId: string): Promise<{ boundaries: ShownBoundary[]; slopes: unknown[] }> {
  const shown = await runPhasesweep(['show', sweepId, '--json'], env);
  assert.equal(shown.code, 0, shown.stderr);
  const json = JSON.parse(shown.stdout) as { boundaries: ShownBoundary[]; boundary_slopes: unknown[] };
  return { boundaries: json.boundaries, slopes: json.boundary_slopes };
}

async function runJson(spec: string): Promise<Record<string, unknown>> {
  const run = await runPhasesweep(['run', spec, '--wait', '--json'], env, 240_000);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

async function cellsPerRound(sweepId: string): Promise<number[]> {
  const rows = await queryRows<{ round: number; n: number }>(
    stack.endpoints.databaseUrl,
    `SELECT coalesce(rc.round, 0) AS round, count(*)::int AS n FROM sweep_cells c
     LEFT JOIN refine_cells rc USING (sweep_id, cell_key) WHERE c.sweep_id = $1 GROUP BY 1 ORDER BY 1`,
    [sweepId],
  );
  return rows.map((r) => r.n);
}

function checkBoundaries(boundaries: ShownBoundary[]): void {
  assert.deepEqual(
    boundaries.map((b) => [b.method, b.n_labels, b.kind]),
    [
      ['supervised', 16, 'crossing'],
      ['supervised', 64, 'crossing'],
    ],
  );
  for (const b of boundaries) {
    const [low, high] = b.bracket!;
    assert.ok(Math.log10(high / low) <= RESOLUTION, `n=${b.n_labels}: bracket [${low}, ${high}]`);
    assert.ok(b.crossing! >= low && b.crossing! <= high);
    // paper-spec 6.1: SNR* between 0.2 and 0.5 for these rows.
    assert.ok(b.crossing! > 0.2 && b.crossing! < 0.5, `n=${b.n_labels}: crossing ${b.crossing}`);
    // 4 grid SNRs + 3 bisection rounds, 2 seeds each.
    assert.equal(b.rounds, 3);
    assert.equal(b.cells, (4 + 3) * 2);
  }
  // More labels, a lower SNR*.
  assert.ok(boundaries[1].crossing! < boundaries[0].crossing!);
}

test(
  'a refined sweep bisects SNR round by round, shows its boundaries, and re-runs from the cache',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const worker = await spawnWorker(env, ['--concurrency', '2']);
    try {
      const spec = writeSpec(dir, 'refined', refined(0));
      const first = await runJson(spec);
      assert.equal(first.status, 'completed');
      // 16 grid cells + 3 rounds x 2 rows x 2 seeds.
      assert.deepEqual(first.counts, { total: 16 + 12, done: 28, cached: 0, failed: 0, pending: 0 });
      const sweepId = String(first.sweep_id);
      assert.deepEqual(await cellsPerRound(sweepId), [16, 4, 4, 4]);
      const shown = await show(sweepId);
      checkBoundaries(shown.boundaries);
      assert.equal(shown.slopes.length, 1);

      const exported = await runPhasesweep(['export', sweepId, '--boundaries', '--format', 'json'], env);
      assert.equal(exported.code, 0, exported.stderr);
      assert.deepEqual(
        (JSON.parse(exported.stdout) as ({ sweep_id: string } & ShownBoundary)[]).map(
          ({ sweep_id, ...b }) => {
            assert.equal(sweep_id, sweepId);
            return b;
          },
        ),
        shown.boundaries,
      );
      const csv = await runPhasesweep(['export', sweepId, '--boundaries'], env);
      const [header, ...lines] = csv.stdout.trim().split('\n');
      assert.match(
        header,
        /^sweep_id,method,n_labels,axis,metric,threshold,kind,crossing,crossings,.*bracket_low,bracket_high$/,
      );
      assert.equal(lines.length, 2);

      const verify = await runPhasesweep(['verify', sweepId], env);
      assert.equal(verify.code, 0, verify.stdout);
      assert.match(verify.stdout, /: 28\/28 done \(0 cached, 0 failed\): OK/);

      const text = await runPhasesweep(['show', sweepId, '--no-color'], env);
      assert.match(text.stdout, /boundaries: where the seed-mean test_error crosses 0.25 along snr/);
      assert.match(
        text.stdout,
        /slope d log snr\* \/ d log n_labels \[method=supervised\]: -[\d.]+ \(no CI\), theory -0.333, 2 groups/,
      );

      const again = await runJson(spec);
      assert.notEqual(again.sweep_id, sweepId);
      assert.deepEqual(
        again.counts,
        { total: 28, done: 28, cached: 28, failed: 0, pending: 0 },
        'all cache hits',
      );
      assert.deepEqual((await show(String(again.sweep_id))).boundaries, shown.boundaries);
    } finally {
      assert.equal(await worker.stop(), 0);
    }
  },
);

test(
  'a worker SIGKILLed mid-round: a new worker ends the sweep with the same boundaries, verify OK',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const spec = parseSpecText(stringify({ name: 'refine-killed', ...refined(10) }), 'refine-killed.yaml');
    const slow = { ...env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '500' };
    const first = await spawnWorker(slow, ['--concurrency', '1']);
    const { client, close } = await connectClient(stack.endpoints.temporalAddress, stack.endpoints.namespace);
    let second: WorkerProcess | undefined;
    try {
      const started = await startSweep(client, spec, { heartbeatTimeoutMs: 3000 });
      // Mid-round: round 1's cells are registered and some, not all, of them trained.
      await waitFor(
        'round 1 under way',
        async () => {
          const p = await queryProgress(started.handle).catch(() => undefined);
          return (p?.refine?.round ?? 0) >= 1 && p!.done > 16;
        },
        120_000,
      );
      const progress = await queryProgress(started.handle);
      assert.equal(progress.refine?.max_rounds, 8);
      assert.deepEqual(progress.refine?.cells_per_round.slice(0, 2), [16, 4]);
      assert.ok(progress.refine!.open_brackets >= 1);
      first.child.kill('SIGKILL');
      await first.stop();

      second = await spawnWorker(env, ['--concurrency', '2']);
      const end = await awaitSweep(started.handle);
      assert.equal(end.outcome === 'finished' && end.summary.status, 'completed');
      const verify = await runPhasesweep(['verify', started.sweepId, '--json'], env);
      assert.equal(verify.code, 0, verify.stdout);
      assert.deepEqual(
        (({ counts, ok }) => ({ counts, ok }))(JSON.parse(verify.stdout) as { counts: unknown; ok: boolean }),
        { counts: { total: 28, done: 28, cached: 0, failed: 0, pending: 0 }, ok: true },
      );
      // Every cell was trained by this sweep, once (one result row per key, none from elsewhere).
      const trained = await queryRows<{ n: number }>(
        stack.endpoints.databaseUrl,
        'SELECT count(*)::int AS n FROM results WHERE sweep_id = $1',
        [started.sweepId],
      );
      assert.equal(trained[0].n, 28);
      assert.deepEqual(await cellsPerRound(started.sweepId), [16, 4, 4, 4]);
      const killed = await show(started.sweepId);
      checkBoundaries(killed.boundaries);

      // The same spec uninterrupted (from the stored results) registers the same rounds and finds
      // the same boundaries.
      const clean = await runJson(writeSpec(dir, 'refine-killed', refined(10)));
      const cleanCounts = clean.counts as { total: number; cached: number };
      assert.deepEqual([cleanCounts.total, cleanCounts.cached], [28, 28]);
      assert.deepEqual(await cellsPerRound(String(clean.sweep_id)), [16, 4, 4, 4]);
      assert.deepEqual((await show(String(clean.sweep_id))).boundaries, killed.boundaries);
    } finally {
      await close();
      first.child.kill('SIGKILL');
      await first.stop();
      if (second) assert.equal(await second.stop(), 0);
    }
  },
);
