import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { Cell } from '../sweep/cells.ts';
import {
  isCommandCell,
  methodOf,
  storedCommandParams,
  type CellParams,
  type CommandParams,
} from '../trainer/index.ts';
import { metricTallyMismatches, type MetricTallyMismatch } from './metric-tally-check.ts';
import { BY_NAME_SQL, SWEEP_CELL_PAGE_SQL, SWEEP_LAST_ORDINAL_SQL, SWEEP_RECOUNT_SQL } from './queries.ts';
import { sweepCounts, type SweepCounts } from './sweep-counts.ts';
import { chunks } from './chunks.ts';

// Rows per INSERT: large enough to amortise round trips, small enough to keep statements modest.
const CELL_CHUNK = 5_000;

// Coordinates a method ignores are NULL, so dashboards do not group supervised cells by a pre-training
// setting that had no effect on them. A command cell has none of the CNN's coordinates, whatever its
// own parameters are called: all of them are in `params` (with the method and the seed; the program's
// identity is the sweep's, see trainer/methods/command.ts), and the typed columns stay NULL.
function columnsOf(sweepId: string, cells: Cell[]): unknown[][] {
  const pretrains = (c: Cell) => methodOf(c.params.method).uses('n_unlabeled');
  const typed =
    <K extends keyof CellParams>(name: K, when: (c: Cell) => boolean = () => true) =>
    (c: Cell) =>
      !isCommandCell(c.params) && when(c) ? c.params[name] : null;
  return [
    cells.map(() => sweepId),
    cells.map((c) => c.key),
    cells.map((c) => c.ordinal),
    cells.map((c) => c.params.method),
    cells.map(typed('n_labels')),
    cells.map(typed('n_unlabeled', pretrains)),
    cells.map(typed('snr')),
    cells.map((c) => c.params.seed),
    cells.map(typed('d')),
    cells.map(typed('m')),
    cells.map(typed('q')),
    cells.map(typed('p')),
    cells.map(typed('sigma0')),
    cells.map(typed('sigma_p')),
    cells.map(typed('lr')),
    cells.map(typed('steps')),
    cells.map(typed('n_test')),
    cells.map(typed('pretrain_steps', pretrains)),
    cells.map(typed('pretrain_lr', pretrains)),
    cells.map(typed('tau', pretrains)),
    cells.map((c) =>
      JSON.stringify(
        isCommandCell(c.params) ? storedCommandParams(c.params as unknown as CommandParams) : c.params,
      ),
    ),
  ];
}

const INSERT_CELLS_SQL = `
INSERT INTO sweep_cells (sweep_id, cell_key, ordinal, method, n_labels, n_unlabeled, snr, seed, d, m, q, p,
  sigma0, sigma_p, lr, steps, n_test, pretrain_steps, pretrain_lr, tau, params)
SELECT t.sweep_id, t.cell_key, t.ordinal, t.method, t.n_labels, t.n_unlabeled, t.snr, t.seed, t.d, t.m, t.q, t.p,
  t.sigma0, t.sigma_p, t.lr, t.steps, t.n_test, t.pretrain_steps, t.pretrain_lr, t.tau, t.params::jsonb
FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::integer[], $6::integer[],
  $7::double precision[], $8::integer[], $9::integer[], $10::integer[], $11::double precision[],
  $12::double precision[], $13::double precision[], $14::double precision[], $15::double precision[],
  $16::integer[], $17::integer[], $18::integer[], $19::double precision[], $20::double precision[], $21::text[])
  AS t(sweep_id, cell_key, ordinal, method, n_labels, n_unlabeled, snr, seed, d, m, q, p, sigma0, sigma_p, lr,
    steps, n_test, pretrain_steps, pretrain_lr, tau, params)
ON CONFLICT DO NOTHING`;

// Idempotent: re-inserting a sweep's cells (a retried activity) leaves the rows as they were.
export async function insertSweepCells(
  db: pg.Pool | pg.PoolClient,
  sweepId: string,
  cells: Cell[],
): Promise<void> {
  for (const chunk of chunks(cells, CELL_CHUNK)) {
    await db.query(INSERT_CELLS_SQL, columnsOf(sweepId, chunk));
  }
}

// Up to `limit` cells of the sweep with neither a result (from any sweep: the cache) nor a failure,
// after `afterOrdinal` and up to `throughOrdinal` in grid order: the workflow pages through them. Read
// `limit` ordinals at a time (SWEEP_CELL_PAGE_SQL), so each cell is looked at once however many are
// done, and a call costs what it reads, not the sweep's size.
export async function pendingCells(
  pool: pg.Pool,
  sweepId: string,
  afterOrdinal: number,
  limit: number,
  throughOrdinal?: number,
): Promise<Cell[]> {
  const last = throughOrdinal ?? (await lastOrdinal(pool, sweepId));
  const found: Cell[] = [];
  for (let after = afterOrdinal; found.length < limit && after < last; after += limit) {
    const { rows } = await pool.query<{
      ordinal: number;
      pending: boolean;
      cell_key: string;
      params: CellParams;
    }>(SWEEP_CELL_PAGE_SQL, [sweepId, after, Math.min(after + limit, last)]);
    for (const r of rows) {
      if (found.length === limit) break;
      if (r.pending) found.push({ key: r.cell_key, ordinal: r.ordinal, params: r.params });
    }
  }
  return found;
}

async function lastOrdinal(pool: pg.Pool, sweepId: string): Promise<number> {
  const { rows } = await pool.query<{ last: number | null }>(SWEEP_LAST_ORDINAL_SQL, [sweepId]);
  return rows[0]?.last ?? -1;
}

// A sweep is complete when every cell has a result or a recorded failure: none silently missing. The
// counts are the tally every command shows; a recount from the cells themselves must give the same, or
// the store is inconsistent (`recount` then says what the cells give). A program's sweep also has its
// metrics tallied by name per grid point (020): those are recounted too, and the points that disagree
// are `metric_recount`. A built-in sweep has no metrics by name, so its cells are not read twice.
export async function verifySweep(
  pool: pg.Pool,
  sweepId: string,
): Promise<{
  counts: SweepCounts;
  ok: boolean;
  recount?: SweepCounts;
  metric_recount?: MetricTallyMismatch[];
}> {
  const counts = await sweepCounts(pool, sweepId);
  const { rows } = await pool.query<SweepCounts>(SWEEP_RECOUNT_SQL, [sweepId]);
  const { rows: byName } = await pool.query<{ by_name: boolean }>(`SELECT ${BY_NAME_SQL} AS by_name`, [
    sweepId,
  ]);
  const mismatches = byName[0].by_name ? await metricTallyMismatches(pool, sweepId) : [];
  const countsAgree = isDeepStrictEqual(counts, rows[0]);
  return {
    counts,
    ok: countsAgree && mismatches.length === 0 && counts.pending === 0,
    ...(countsAgree ? {} : { recount: rows[0] }),
    ...(mismatches.length > 0 ? { metric_recount: mismatches } : {}),
  };
}
