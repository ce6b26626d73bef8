import type pg from 'pg';

export interface CellLog {
  cell_key: string;
  /** the failure's one line, null when the cell has not failed in this sweep */
  error: string | null;
  attempt: number | null;
  /** the last 64 KiB of the failed program's output (method: command), else null */
  log_tail: string | null;
}

const CELL_LOGS_SQL = `
SELECT c.cell_key, f.error, f.attempt, f.log_tail
FROM sweep_cells c
LEFT JOIN failures f ON f.sweep_id = c.sweep_id AND f.cell_key = c.cell_key
WHERE c.sweep_id = $1 AND c.cell_key = $2`;

// A cell of a sweep (by its whole key: cli/cell-arg.ts resolves a start of one) with its failure.
export async function cellLog(pool: pg.Pool, sweepId: string, cellKey: string): Promise<CellLog | undefined> {
  const { rows } = await pool.query<CellLog>(CELL_LOGS_SQL, [sweepId, cellKey]);
  return rows[0];
}
