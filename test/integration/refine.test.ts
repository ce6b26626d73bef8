// refine: end to end on a real Temporal dev server, a real Postgres and real `phasesweep worker`
// processes training real supervised cells: the rounds bisect SNR until the brackets are narrow,
// `show --json` has the boundaries, a re-run is all cache hits with the same boundaries, and a worker
// SIGKILLed mid-round ends with the same boundaries and a clean verify. About 60-90 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { phaseDiagramSpec } from '../../cli/plots/phase-diagram-spec.ts';
import { sweepBoundaries } from '../../store/boundaries.ts';
import { gridPoints } from '../../store/grid-points.ts';
import { createPool } from '../../store/pool.ts';
import { parseSpecText } from '../../sweep/spec.ts';
import { awaitSweep, queryProgress } from '../../client/await-sweep.ts';
import { connectClient } from '../../client/connect.ts';
import { startSweep } from '../../client/start-sweep.ts';
import { runPhasesweep, useTestStack } from '../helpers/stack.ts';
import {
  cellsPerRound,
  checkBoundaries,
  refinedSpec,
  showJson,
  type ShownBoundary,
} from '../helpers/refined-sweep.ts';
import { queryRows, spawnWorker, waitFor, writeSpec, type WorkerProcess } from '../helpers/sweeps.ts';

const TEST_TIMEOUT_MS = 300_000;

const session = useTestStack('refine');

async function runJson(spec: string): Promise<Record<string, unknown>> {
  const run = await runPhasesweep(['run', spec, '--wait', '--json'], session.env, 240_000);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

// plot draws what the plotting library is given: the spec from the same store reads `plot` makes. The
// refined points are the rounds' cells over their seeds; the crossings and intervals are show --json's,
// and so are the terminal heatmap's and the JSON panels'.
async function checkPlot(sweepId: string, boundaries: ShownBoundary[]): Promise<void> {
  const file = join(session.dir, 'refined.svg');
  const plotted = await runPhasesweep(['plot', sweepId, '--out', file], session.env);
  assert.equal(plotted.code, 0, plotted.stderr);
  assert.match(readFileSync(file, 'utf8'), /band: 95% CI over seeds/);

  const pool = createPool(session.stack.endpoints.databaseUrl);
  try {
    const spec = phaseDiagramSpec(await gridPoints(pool, sweepId), { text: sweepId }, undefined, [
      ...(await sweepBoundaries(pool, sweepId)),
    ]) as unknown as {
      vconcat: {
        concat: { layer: { description?: string; data: { values: Record<string, number>[] } }[] }[];
      }[];
    };
    const [panel] = spec.vconcat[0]!.concat;
    const layer = (d: string) => panel!.layer.find((l) => l.description === d)!.data.values;
    const rounds = await cellsPerRound(session.stack.endpoints.databaseUrl, sweepId);
    assert.equal(layer('refined points').length, rounds.slice(1).reduce((a, b) => a + b, 0) / 2);
    const byRow = (rows: Record<string, number>[], key: string) =>
      [...rows].sort((a, b) => a[key]! - b[key]!);
    assert.deepEqual(
      byRow(layer('boundary'), 'at').map((c) => [c.at, c.crossing]),
      boundaries.map((b) => [b.n_labels, b.crossing]),
    );
    assert.deepEqual(
      byRow(layer('boundary band'), 'at').map((b) => [b.at, b.lo, b.hi]),
      boundaries.map((b) => [b.n_labels, ...b.ci95!]),
    );
  } finally {
    await pool.end();
  }
  const shown = await runPhasesweep(['show', sweepId, '--json'], session.env);
  const [jsonPanel] = (
    JSON.parse(shown.stdout) as { panels: { boundary: { crossings: { at: number; crossing: number }[] } }[] }
  ).panels;
  assert.deepEqual(
    jsonPanel!.boundary.crossings.map((c) => [c.at, c.crossing]),
    boundaries.map((b) => [b.n_labels, b.crossing]),
  );
}

test(
  'a refined sweep bisects SNR round by round, shows its boundaries, and re-runs from the cache',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const worker = await spawnWorker(session.env, ['--concurrency', '2']);
    try {
      const spec = writeSpec(session.dir, 'refined', refinedSpec(0));
      const first = await runJson(spec);
      assert.equal(first.status, 'completed');
      // 16 grid cells + 3 rounds x 2 rows x 2 seeds.
      assert.deepEqual(first.counts, { total: 16 + 12, done: 28, cached: 0, failed: 0, pending: 0 });
      const sweepId = String(first.sweep_id);
      assert.deepEqual(await cellsPerRound(session.stack.endpoints.databaseUrl, sweepId), [16, 4, 4, 4]);
      const shown = await showJson(sweepId, session.env);
      checkBoundaries(shown.boundaries);
      assert.equal(shown.slopes.length, 1);

      const exported = await runPhasesweep(
        ['export', sweepId, '--boundaries', '--format', 'json'],
        session.env,
      );
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
      const csv = await runPhasesweep(['export', sweepId, '--boundaries'], session.env);
      const [header, ...lines] = csv.stdout.trim().split('\n');
      assert.match(
        header,
        /^sweep_id,method,n_labels,axis,metric,threshold,kind,crossing,ci95_low,ci95_high,seeds,.*grid_bracket_low,grid_bracket_high,crossings,.*cells,traced$/,
      );
      assert.equal(lines.length, 2);

      const verify = await runPhasesweep(['verify', sweepId], session.env);
      assert.equal(verify.code, 0, verify.stdout);
      assert.match(verify.stdout, /: 28\/28 done \(0 cached, 0 failed\): OK/);

      await checkPlot(sweepId, shown.boundaries);

      const text = await runPhasesweep(['show', sweepId, '--no-color'], session.env);
      assert.match(text.stdout, /boundaries: where the seed-mean test_error crosses 0.25 along snr/);
      assert.match(
        text.stdout,
        /slope d log snr\* \/ d log n_labels \[method=supervised\]: -[\d.]+ \(95% CI -[\d.]+ to -[\d.]+\), theory -0.333, 2 groups/,
      );
      // Two groups leave OLS without an interval; the bootstrap over seeds still has one.
      assert.doesNotMatch(text.stdout, /OLS/);
      assert.match(text.stdout, /n_labels=16 +[\d.]+ \(95% CI [\d.]+ to [\d.]+, 2 seeds\) grid \[/);

      const again = await runJson(spec);
      assert.notEqual(again.sweep_id, sweepId);
      assert.deepEqual(
        again.counts,
        { total: 28, done: 28, cached: 28, failed: 0, pending: 0 },
        'all cache hits',
      );
      assert.deepEqual((await showJson(String(again.sweep_id), session.env)).boundaries, shown.boundaries);
    } finally {
      assert.equal(await worker.stop(), 0);
    }
  },
);

test(
  'a worker SIGKILLed mid-round: a new worker ends the sweep with the same boundaries, verify OK',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const spec = parseSpecText(
      stringify({ name: 'refine-killed', ...refinedSpec(10) }),
      'refine-killed.yaml',
    );
    const slow = { ...session.env, PHASESWEEP_FAULT_BATCH_DELAY_MS: '500' };
    const first = await spawnWorker(slow, ['--concurrency', '1']);
    const { client, close } = await connectClient(
      session.stack.endpoints.temporalAddress,
      session.stack.endpoints.namespace,
    );
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

      second = await spawnWorker(session.env, ['--concurrency', '2']);
      const end = await awaitSweep(started.handle);
      assert.equal(end.outcome === 'finished' && end.summary.status, 'completed');
      const verify = await runPhasesweep(['verify', started.sweepId, '--json'], session.env);
      assert.equal(verify.code, 0, verify.stdout);
      assert.deepEqual(
        (({ counts, ok }) => ({ counts, ok }))(JSON.parse(verify.stdout) as { counts: unknown; ok: boolean }),
        { counts: { total: 28, done: 28, cached: 0, failed: 0, pending: 0 }, ok: true },
      );
      // Every cell was trained by this sweep, once (one result row per key, none from elsewhere).
      const trained = await queryRows<{ n: number }>(
        session.stack.endpoints.databaseUrl,
        'SELECT count(*)::int AS n FROM results WHERE sweep_id = $1',
        [started.sweepId],
      );
      assert.equal(trained[0].n, 28);
      assert.deepEqual(
        await cellsPerRound(session.stack.endpoints.databaseUrl, started.sweepId),
        [16, 4, 4, 4],
      );
      const killed = await showJson(started.sweepId, session.env);
      checkBoundaries(killed.boundaries);

      // The same spec uninterrupted (from the stored results) registers the same rounds and finds
      // the same boundaries.
      const clean = await runJson(writeSpec(session.dir, 'refine-killed', refinedSpec(10)));
      const cleanCounts = clean.counts as { total: number; cached: number };
      assert.deepEqual([cleanCounts.total, cleanCounts.cached], [28, 28]);
      assert.deepEqual(
        await cellsPerRound(session.stack.endpoints.databaseUrl, String(clean.sweep_id)),
        [16, 4, 4, 4],
      );
      assert.deepEqual((await showJson(String(clean.sweep_id), session.env)).boundaries, killed.boundaries);
    } finally {
      await close();
      first.child.kill('SIGKILL');
      await first.stop();
      if (second) assert.equal(await second.stop(), 0);
    }
  },
);
