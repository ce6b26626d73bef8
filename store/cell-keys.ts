import type pg from 'pg';

export interface SweepCellRef {
  cell_key: string;
  /** the cell's parameters as stored (its seed and method among them) */
  params: Record<string, unknown>;
}

const CELLS_BY_PREFIX_SQL = `
SELECT cell_key, params FROM sweep_cells
WHERE sweep_id = $1 AND starts_with(cell_key, $2)
ORDER BY cell_key
LIMIT 2`;

// The cells of a sweep whose key starts with `prefix` (a whole key is its own prefix), at most two: one
// is the cell, two say the prefix is ambiguous.
export async function cellsByPrefix(pool: pg.Pool, sweepId: string, prefix: string): Promise<SweepCellRef[]> {
  const { rows } = await pool.query<SweepCellRef>(CELLS_BY_PREFIX_SQL, [sweepId, prefix]);
  return rows;
}
