// bench:refine --measure seeds: refine.seeds against giving every cell of the refined rows the same
// number of seeds. One refined sweep with `seeds` on a fresh embedded stack (bench/noop-sweep.ts); per
// row, from its stored cells: the cells it used, and the cells the row's axis values would need if
// each had as many seeds as the crossing's cells reached (the seed count that gave the row its
// interval width), with the width reached.
import type pg from 'pg';
import { bracketWidth } from '../sweep/refine-plan.ts';
import { refineSettings } from '../sweep/refine-axis.ts';
import { MAX_REFINE_ROUNDS } from '../sweep/refine-schema.ts';
import { groupKeyOf, planRound, type RefinedSpec, type RoundObservation } from '../sweep/refine-round.ts';
import { refineObservations } from '../store/refine-cells.ts';
import { withTimedSweep } from './noop-sweep.ts';
import { createPool } from '../store/pool.ts';

export interface SeedRow {
  group: Record<string, string | number>;
  values: number;
  max_seeds: number;
  cells: number;
  uniform_cells: number;
  ci95_width: number | null;
}

// Per group: cells used, and axis values x the most seeds any of its cells has.
export function seedSaving(spec: RefinedSpec, observations: RoundObservation[]): SeedRow[] {
  const { axis, scale } = refineSettings(spec);
  const seedsAt = new Map<string, Map<number, Set<number>>>();
  for (const o of observations) {
    const key = groupKeyOf(spec, o.params, axis);
    const values = seedsAt.get(key) ?? new Map<number, Set<number>>();
    const at = o.params[axis] as number;
    values.set(at, (values.get(at) ?? new Set()).add(o.params.seed));
    seedsAt.set(key, values);
  }
  return planRound(spec, observations, false).boundaries.map((b) => {
    const values = seedsAt.get(b.groupKey)!;
    const maxSeeds = Math.max(...[...values.values()].map((s) => s.size));
    return {
      group: b.group,
      values: values.size,
      max_seeds: maxSeeds,
      cells: b.cells,
      uniform_cells: values.size * maxSeeds,
      ci95_width: b.ci95 ? Number(bracketWidth(b.ci95[0], b.ci95[1], scale).toFixed(4)) : null,
    };
  });
}

export async function measureSeeds(spec: RefinedSpec, concurrency: string) {
  return withTimedSweep(spec, concurrency, async (run) => {
    const pool: pg.Pool = createPool(String(run.env.DATABASE_URL));
    try {
      const observations = await refineObservations(
        pool,
        run.sweepId,
        spec.refine.metric,
        MAX_REFINE_ROUNDS + 1,
      );
      const rows = seedSaving(spec, observations);
      const used = rows.reduce((a, r) => a + r.cells, 0);
      const uniform = rows.reduce((a, r) => a + r.uniform_cells, 0);
      return {
        seeds: spec.refine.seeds,
        rows,
        cells: used,
        uniform_cells: uniform,
        saving: Number((1 - used / uniform).toFixed(3)),
        target: 'saving >= 0.30',
        every_ci_below_width: rows.every(
          (r) => r.ci95_width !== null && r.ci95_width < spec.refine.seeds!.ci_width,
        ),
        wall_s: Number(run.seconds.toFixed(1)),
        worker_cpu_s: Number(run.workerCpuSeconds.toFixed(1)),
        load_1min_at_start: Number(run.load.toFixed(1)),
      };
    } finally {
      await pool.end();
    }
  });
}
