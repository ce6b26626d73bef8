import type pg from 'pg';

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
export async function shapeTimings(pool: pg.Pool, methods: readonly string[]): Promise<ShapeTiming[]> {
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
