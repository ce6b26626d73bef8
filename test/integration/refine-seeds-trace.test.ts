// refine.seeds and refine.trace end to end on a real Temporal dev server, a real Postgres and a real
// `phasesweep worker` training real supervised cells: rows are added between the grid's, seeds beside
// the settled crossings, `show --json` marks the traced rows, the stored boundaries are what the
// planner gives from the stored results alone, and a re-run is all cache hits with the same boundaries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createPool } from '../../store/pool.ts';
import { refineObservations } from '../../store/refine-cells.ts';
import { estimateBoundaries } from '../../sweep/boundary-estimate.ts';
import { planRound, type RefinedSpec } from '../../sweep/refine-round.ts';
import { parseSpecText } from '../../sweep/spec.ts';
import { runPhasesweep, startTestStack } from '../helpers/stack.ts';
import {
  cellsPerRound,
  checkSeededTraced,
  seededTracedSpec,
  showJson,
  storedCells,
  type ShownBoundary,
} from '../helpers/refined-sweep.ts';
import { spawnWorker, stackEnv, writeSpec } from '../helpers/sweeps.ts';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let env: NodeJS.ProcessEnv;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'phasesweep-refine-seeds-'));
  stack = await startTestStack();
  env = stackEnv(stack.endpoints, stack.home);
});

after(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function runJson(
  spec: string,
): Promise<{ sweep_id: string; status: string; counts: { total: number; cached: number } }> {
  const run = await runPhasesweep(['run', spec, '--wait', '--json'], env, 600_000);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as never;
}

test(
  'refine.seeds and refine.trace: traced rows, seeds beside the crossings, replayed from the cache',
  { timeout: 900_000 },
  async () => {
    const worker = await spawnWorker(env, ['--concurrency', '2']);
    try {
      const raw = seededTracedSpec(30);
      const file = writeSpec(dir, 'seeded-traced', raw);
      const first = await runJson(file);
      assert.equal(first.status, 'completed');
      const db = stack.endpoints.databaseUrl;
      const rounds = await cellsPerRound(db, first.sweep_id);
      assert.equal(rounds.length, 1 + raw.refine.max_rounds, `cells per round ${rounds}`);
      const shown = (await showJson(first.sweep_id, env)).boundaries as (ShownBoundary & {
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
      assert.deepEqual((await showJson(again.sweep_id, env)).boundaries, shown);
    } finally {
      assert.equal(await worker.stop(), 0);
    }
  },
);
