import type pg from 'pg';
import { commandIdentity, isCommandSpec } from '../sweep/command-sweep.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import { COMMAND_METHOD } from '../trainer/index.ts';

// The parameters that fix a cell's shape (sweep/batches.ts' Shape), with the training time of the
// stored results of that shape: each result's wall_ms is its share of one training thread's time.
export interface ShapeTiming {
  params: Record<string, unknown>;
  results: number;
  mean_ms: number;
}

const SHAPE_FIELDS = [
  'method',
  'n_labels',
  'd',
  'm',
  'q',
  'steps',
  'n_test',
  'n_unlabeled',
  'pretrain_steps',
];

// Per shape, over the results the given methods' sweeps trained (a cached cell is not a training).
async function shapeTimings(pool: pg.Pool, methods: readonly string[]): Promise<ShapeTiming[]> {
  const shape = `jsonb_build_object(${SHAPE_FIELDS.map((f) => `'${f}', c.params->'${f}'`).join(', ')})`;
  const { rows } = await pool.query<ShapeTiming>(
    `SELECT ${shape} AS params, count(*)::int AS results, avg(r.wall_ms)::float8 AS mean_ms
     FROM results r
     JOIN sweep_cells c ON c.sweep_id = r.sweep_id AND c.cell_key = r.cell_key
     WHERE c.params->>'method' = ANY($1::text[])
     GROUP BY 1`,
    [methods],
  );
  return rows;
}

/**
 * Whose stored timings an estimate is made from: a built-in method's cells of the same method and shape;
 * a program's (every command cell has one shape) the results of the same code hash, or when this
 * version has none yet, of the same argv (an earlier version of the program).
 */
export const TIMING_BASES = ['shape', 'code_hash', 'argv'] as const;
export type TimingBasis = (typeof TIMING_BASES)[number];

export interface SpecTimings {
  /** null: no stored timing to estimate from */
  basis: TimingBasis | null;
  timings: ShapeTiming[];
}

// A program's results by its code hash, or by the argv its sweep's stored spec ran it with.
const PROGRAM_TIMING_SQL: Record<Exclude<TimingBasis, 'shape'>, string> = {
  code_hash: `SELECT count(*)::int AS results, avg(r.wall_ms)::float8 AS mean_ms FROM results r
    WHERE r.code_hash = $1`,
  argv: `SELECT count(*)::int AS results, avg(r.wall_ms)::float8 AS mean_ms FROM results r
    JOIN sweeps s ON s.id = r.sweep_id
    WHERE r.code_hash IS NOT NULL AND s.spec -> '${COMMAND_METHOD}' -> 'argv' = $1::jsonb`,
};

/** The stored timings `run --dry-run` estimates a spec's cells from (sweep/cpu-estimate.ts). */
export async function specTimings(pool: pg.Pool, spec: SweepSpec): Promise<SpecTimings> {
  if (!isCommandSpec(spec)) {
    const timings = await shapeTimings(pool, spec.method);
    return { basis: timings.length > 0 ? 'shape' : null, timings };
  }
  const program = commandIdentity(spec);
  const tries = [
    ['code_hash', program.code_hash],
    ['argv', JSON.stringify(program.argv)],
  ] as const;
  for (const [basis, value] of tries) {
    const { rows } = await pool.query<{ results: number; mean_ms: number | null }>(
      PROGRAM_TIMING_SQL[basis],
      [value],
    );
    const { results, mean_ms } = rows[0];
    if (results > 0 && mean_ms !== null)
      return { basis, timings: [{ params: { method: COMMAND_METHOD }, results, mean_ms }] };
  }
  return { basis: null, timings: [] };
}
