// refine.seeds and refine.trace end to end on a real Temporal dev server, a real Postgres and a real
// `phasesweep worker` training real supervised cells: rows are added between the grid's, seeds beside
// the settled crossings, `show --json` marks the traced rows, the stored boundaries are what the
// planner gives from the stored results alone, and a re-run is all cache hits with the same boundaries.
// Then SimCLR's n0 x SNR traced the same way on a tiny grid (d = 40, 100 pre-training steps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { createPool } from '../../store/pool.ts';
import { refineObservations } from '../../store/refine-cells.ts';
import { estimateBoundaries } from '../../sweep/boundary-estimate.ts';
import { planRound, type RefinedSpec } from '../../sweep/refine-round.ts';
import { parseSpecText } from '../../sweep/spec.ts';
import { runPhasesweep, useTestStack } from '../helpers/stack.ts';
import {
  cellsPerRound,
  checkSeededTraced,
  seededTracedSpec,
  showJson,
  storedCells,
  type ShownBoundary,
} from '../helpers/refined-sweep.ts';
import { queryRows, spawnWorker, writeSpec } from '../helpers/sweeps.ts';

const session = useTestStack('refine-seeds');

async function runJson(
  spec: string,
): Promise<{ sweep_id: string; status: string; counts: { total: number; cached: number } }> {
  const run = await runPhasesweep(['run', spec, '--wait', '--json'], session.env, 600_000);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as never;
}

test(
  'refine.seeds and refine.trace: traced rows, seeds beside the crossings, replayed from the cache',
  { timeout: 900_000 },
  async () => {
    const worker = await spawnWorker(session.env, ['--concurrency', '2']);
    try {
      const raw = seededTracedSpec(30);
      const file = writeSpec(session.dir, 'seeded-traced', raw);
      const first = await runJson(file);
      assert.equal(first.status, 'completed');
      const db = session.stack.endpoints.databaseUrl;
      const rounds = await cellsPerRound(db, first.sweep_id);
      assert.equal(rounds.length, 1 + raw.refine.max_rounds, `cells per round ${rounds}`);
      const shown = (await showJson(first.sweep_id, session.env)).boundaries as (ShownBoundary & {
        traced: boolean;
      })[];
      checkSeededTraced(shown, await storedCells(db, first.sweep_id));

      // Stored boundaries are the planner's over the stored results: nothing but the store decides.
      const spec = parseSpecText(
        stringify({ name: 'seeded-traced', ...raw }),
        'seeded-traced.yaml',
      ) as RefinedSpec;
      const pool = createPool(db);
      try {
        const observations = await refineObservations(pool, first.sweep_id, 'test_error', rounds.length);
        const planned = planRound(spec, observations, false).boundaries;
        const intervals = estimateBoundaries(spec, observations, planned).intervals;
        assert.deepEqual(
          shown.map((b) => [b.n_labels, b.grid_bracket, b.traced, b.cells, b.crossing, b.ci95, b.seeds]),
          planned
            .map((b, i) => [
              b.group.n_labels,
              b.bracket,
              b.traced,
              b.cells,
              intervals[i].crossing,
              intervals[i].ci95,
              intervals[i].seeds,
            ])
            .sort((a, b) => Number(a[0]) - Number(b[0])),
        );
      } finally {
        await pool.end();
      }

      const again = await runJson(file);
      assert.notEqual(again.sweep_id, first.sweep_id);
      assert.deepEqual([again.counts.total, again.counts.cached], [first.counts.total, first.counts.total]);
      assert.deepEqual(await cellsPerRound(db, again.sweep_id), rounds);
      assert.deepEqual((await showJson(again.sweep_id, session.env)).boundaries, shown);
    } finally {
      assert.equal(await worker.stop(), 0);
    }
  },
);

// Two rows of n0 whose crossings (about 0.26 and 0.15 in SNR at d = 40) are far apart: once both are
// bisected to 0.1 in log10 SNR, rows of n0 are added between them.
const SIMCLR_TRACED = {
  method: 'simclr',
  grid: { n_unlabeled: [25, 400], snr: { geomspace: [0.02, 2, 4] }, seed: { range: [0, 2] } },
  fixed: { n_labels: 4, d: 40, m: 6, steps: 200, n_test: 200, pretrain_steps: 100 },
  resources: { batch_size: 4, max_in_flight: 2 },
  refine: {
    axis: 'snr',
    resolution: 0.1,
    max_rounds: 5,
    trace: { axis: 'n_unlabeled', resolution: 0.05 },
  },
};

test(
  'refine.trace on SimCLR: rows of n0 added between the grid rows, marked, with their crossings',
  { timeout: 600_000 },
  async () => {
    const worker = await spawnWorker(session.env, ['--concurrency', '2']);
    try {
      const run = await runJson(writeSpec(session.dir, 'simclr-traced', SIMCLR_TRACED));
      assert.equal(run.status, 'completed');
      const shown = (await showJson(run.sweep_id, session.env)).boundaries as unknown as {
        method: string;
        n_unlabeled: number;
        kind: string;
        crossing: number | null;
        traced: boolean;
      }[];
      const traced = shown.filter((b) => b.traced);
      assert.ok(traced.length >= 1, `a traced row: ${JSON.stringify(shown)}`);
      for (const b of shown) {
        assert.equal(b.method, 'simclr');
        assert.equal(b.traced, ![25, 400].includes(b.n_unlabeled), `n0=${b.n_unlabeled} marked`);
        assert.ok(b.n_unlabeled >= 25 && b.n_unlabeled <= 400, `n0=${b.n_unlabeled}`);
      }
      // A traced row is added only between rows with a crossing, and starts from a bracket around one.
      for (const b of traced) assert.equal(b.kind, 'crossing', `n0=${b.n_unlabeled}: ${JSON.stringify(b)}`);
      const cells = await queryRows<{ n0: number; method: string }>(
        session.stack.endpoints.databaseUrl,
        `SELECT (params->>'n_unlabeled')::int AS n0, params->>'method' AS method FROM sweep_cells
       WHERE sweep_id = $1`,
        [run.sweep_id],
      );
      const rows = new Set(cells.map((c) => c.n0));
      for (const b of traced) assert.ok(rows.has(b.n_unlabeled), `cells of row ${b.n_unlabeled}`);
      assert.ok(cells.every((c) => c.method === 'simclr'));
    } finally {
      assert.equal(await worker.stop(), 0);
    }
  },
);
