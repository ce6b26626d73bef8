import type pg from 'pg';
import type { CellParams, MetricName } from '../trainer/index.ts';
import type { Cell } from '../sweep/cells.ts';
import { insertSweepCells } from './cells.ts';
import { metricValueSql } from './metric-sql.ts';
import { inTransaction } from './transaction.ts';

export interface RefineObservationRow {
  params: CellParams;
  round: number;
  metric: number | null;
}

// Every cell of the sweep added before `beforeRound` (round 0 is the grid) with its metric, built-in or
// a program's by name; NULL without a result or for a diverged cell.
export async function refineObservations(
  pool: pg.Pool,
  sweepId: string,
  metric: MetricName,
  beforeRound: number,
): Promise<RefineObservationRow[]> {
  const { rows } = await pool.query<RefineObservationRow>(
    `SELECT c.params, coalesce(rc.round, 0) AS round,
       CASE WHEN NOT r.diverged THEN ${metricValueSql('r', metric)} END AS metric
     FROM sweep_cells c
     LEFT JOIN refine_cells rc ON rc.sweep_id = c.sweep_id AND rc.cell_key = c.cell_key
     LEFT JOIN LATERAL (SELECT * FROM results WHERE results.cell_key = c.cell_key OFFSET 0) r ON true
     WHERE c.sweep_id = $1 AND coalesce(rc.round, 0) < $2
     ORDER BY c.ordinal`,
    [sweepId, beforeRound],
  );
  return rows;
}

// Adds a round's cells after the sweep's last ordinal, in the given order, in one transaction. Cells
// the sweep already has keep their ordinal and round; a retry after a committed attempt adds nothing.
// Returns the round's cells and how many of them already have a result (cache hits).
export async function registerRefinedCells(
  pool: pg.Pool,
  sweepId: string,
  round: number,
  cells: Omit<Cell, 'ordinal'>[],
): Promise<{ added: number; cached: number }> {
  await inTransaction(pool, async (client) => {
    // Two attempts of one round (a timed-out one still running) must not interleave their ordinals.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `phasesweep:refine:${sweepId}`,
    ]);
    const keys = cells.map((c) => c.key);
    const { rows: existing } = await client.query<{ cell_key: string }>(
      'SELECT cell_key FROM sweep_cells WHERE sweep_id = $1 AND cell_key = ANY($2::text[])',
      [sweepId, keys],
    );
    const present = new Set(existing.map((r) => r.cell_key));
    const fresh = cells.filter((c) => !present.has(c.key));
    const { rows: last } = await client.query<{ max: number | null }>(
      'SELECT max(ordinal) AS max FROM sweep_cells WHERE sweep_id = $1',
      [sweepId],
    );
    const from = (last[0].max ?? -1) + 1;
    await insertSweepCells(
      client,
      sweepId,
      fresh.map((c, i) => ({ ...c, ordinal: from + i })),
    );
    await client.query(
      `INSERT INTO refine_cells (sweep_id, cell_key, round)
       SELECT $1, k, $3 FROM unnest($2::text[]) AS k
       ON CONFLICT DO NOTHING`,
      [sweepId, fresh.map((c) => c.key), round],
    );
  });
  const { rows } = await pool.query<{ added: number; cached: number }>(
    `SELECT count(*)::integer AS added, count(r.cell_key)::integer AS cached
     FROM refine_cells rc
     LEFT JOIN LATERAL (SELECT cell_key FROM results WHERE results.cell_key = rc.cell_key OFFSET 0) r ON true
     WHERE rc.sweep_id = $1 AND rc.round = $2`,
    [sweepId, round],
  );
  return rows[0];
}

// Cells per round of a sweep (round 0: the grid), for progress and `show`.
export async function cellsPerRound(pool: pg.Pool, sweepId: string): Promise<number[]> {
  const { rows } = await pool.query<{ round: number; cells: number }>(
    `SELECT coalesce(rc.round, 0) AS round, count(*)::integer AS cells
     FROM sweep_cells c
     LEFT JOIN refine_cells rc ON rc.sweep_id = c.sweep_id AND rc.cell_key = c.cell_key
     WHERE c.sweep_id = $1
     GROUP BY 1 ORDER BY 1`,
    [sweepId],
  );
  const out: number[] = [];
  for (const r of rows) out[r.round] = r.cells;
  return Array.from(out, (n) => n ?? 0);
}
