import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { gridStats } from '../helpers/grid-stats.ts';
import { insertSweepCells } from '../../store/cells.ts';
import { gridPoints } from '../../store/grid-points.ts';
import { migrate } from '../../store/migrate.ts';
import { createPool } from '../../store/pool.ts';
import { writeResults } from '../../store/results.ts';
import { createSweep } from '../../store/sweeps.ts';
import { gridParamsOf } from '../../sweep/axes.ts';
import type { Cell } from '../../sweep/cells.ts';
import { gridDrift } from '../../sweep/drift.ts';
import { driftSamples } from '../../store/drift.ts';
import { parseCellParams, RESULT_METRICS } from '../../trainer/index.ts';
import { startTestPostgres } from '../helpers/postgres.ts';

// One definition of a grid point: cells that differ only in a parameter without a typed sweep_cells
// column (here projection_head) are two grid points in the store's views, as in gridPoints (show,
// plot), with the same means, and two boundary rows.

const HEADS = ['identity', 'mlp'] as const;
const SNRS = [0.1, 0.2, 0.4];
const SEEDS = [0, 1, 2];
// The identity head crosses 0.25 between SNR 0.1 and 0.2, the MLP head between 0.2 and 0.4.
const ERROR: Record<string, number[]> = { identity: [0.5, 0.1, 0], mlp: [0.5, 0.4, 0.05] };

let server: Awaited<ReturnType<typeof startTestPostgres>>;
let pool: pg.Pool;

async function storeSweep(id: string): Promise<void> {
  await createSweep(pool, { id, name: id, spec: {}, specHash: id, trainerVersion: 'test' });
  const cells: Cell[] = [];
  for (const head of HEADS) {
    for (const snr of SNRS) {
      for (const seed of SEEDS) {
        const params = parseCellParams({
          method: 'simclr',
          n_unlabeled: 100,
          projection_head: head,
          snr,
          seed,
        });
        cells.push({ key: `${id}-${cells.length}`, ordinal: cells.length, params });
      }
    }
  }
  await insertSweepCells(pool, id, cells);
  await writeResults(
    pool,
    cells.map((c) => {
      const err = ERROR[c.params.projection_head]![SNRS.indexOf(c.params.snr)] + 0.01 * c.params.seed;
      return {
        cell_key: c.key,
        test_error: err,
        test_loss: 2 * err,
        train_loss: 1e-3,
        best_test_error: err / 2,
        signal_alignment: 1 - err,
        signal_learning: 1 - err,
        noise_memorization: err,
        pretrain_alignment: 1 - 2 * err,
        best_step: 1000,
        probe_alignment: 1 - err,
        linear_probe_error: err / 3,
        head_change: 0.1 + err,
        diverged: false,
        steps: 1000,
        wall_ms: 1,
        backend: 'cpu',
        worker_id: 'test',
        trainer_version: 'test',
        sweep_id: id,
      };
    }),
  );
}

describe('grid points in the store views and in gridPoints', () => {
  before(async () => {
    server = await startTestPostgres();
    await migrate(server.url);
    pool = createPool(server.url);
    await storeSweep('heads-a');
    await storeSweep('heads-b');
  });
  after(async () => {
    await pool?.end();
    await server?.stop();
  });

  it('cells differing only in projection_head are separate grid points, with the same means', async () => {
    const stats = await gridStats(pool, 'heads-a');
    const points = await gridPoints(pool, 'heads-a');
    assert.equal(stats.length, HEADS.length * SNRS.length);
    assert.equal(points.length, stats.length);
    for (const s of stats) {
      const params = gridParamsOf(s.params);
      const matching = points.filter((p) => JSON.stringify(p.params) === JSON.stringify(params));
      assert.equal(matching.length, 1, `one gridPoints point for ${JSON.stringify(s.params)}`);
      const [p] = matching;
      assert.equal(s.seeds, SEEDS.length);
      assert.equal(p.seeds, s.seeds);
      const expected = ERROR[params.projection_head]![SNRS.indexOf(s.snr)] + 0.01;
      assert.ok(Math.abs(s.mean_test_error! - expected) < 1e-12, `${s.mean_test_error} vs ${expected}`);
      for (const metric of RESULT_METRICS) {
        const column = (s as unknown as Record<string, number | null>)[`mean_${metric}`];
        assert.ok(column !== undefined, `grid_point_stats has mean_${metric}`);
        assert.ok(
          Math.abs(column! - p.metrics[metric].mean!) < 1e-12,
          `${metric}: view and gridPoints agree`,
        );
      }
    }
  });

  it('drift matches the points head by head: the same grid twice moves nothing', async () => {
    const report = gridDrift(await driftSamples(pool, ['heads-a']), await driftSamples(pool, ['heads-b']));
    assert.equal(report.compared, HEADS.length * SNRS.length);
    assert.deepEqual(report.moved, []);
  });
});
