import type pg from 'pg';
import { effectiveValue, methodUses } from '../sweep/axes.ts';
import type { CellResult } from '../trainer/index.ts';
import {
  PARAM_NAMES,
  parseCellParams,
  RESULT_METRICS,
  userParams,
  type CommandParams,
} from '../trainer/index.ts';
import { RESULT_PAGE_ROWS, SWEEP_METRIC_NAMES_SQL, SWEEP_RESULTS_SQL } from './queries.ts';
import { chunks } from './chunks.ts';
import { copyCurves } from './copy-curves.ts';

// A trainer outcome as stored: the curve goes to its own table, and the row says who made it.
export interface ResultRow extends Omit<CellResult, 'curve'> {
  cell_key: string;
  worker_id: string;
  trainer_version: string;
  sweep_id: string | null;
  /** a command result's metrics by name (its typed metric columns stay NULL) */
  metrics?: Record<string, number> | null;
  /** the hash of the program's code a command cell's key holds */
  code_hash?: string | null;
}

// A stored point of a cell's training curve (the trainer's CurvePoint with the cell it belongs to).
export interface CurveRow {
  cell_key: string;
  step: number;
  train_loss: number | null;
  test_error: number | null;
  /** a command's progress event's metrics, by name */
  metrics?: Record<string, number> | null;
}

const RESULT_CHUNK = 5_000;
const CURVE_CHUNK = 20_000;
const KEY_CHUNK = 10_000;
// Failure texts can be whole stack traces; the table keeps the start, which names the problem.
const MAX_ERROR_CHARS = 8_000;
// A failed program's output: the end, which is where it says why it stopped.
export const LOG_TAIL_BYTES = 64 * 1024;

// The columns of a result row and their Postgres types; the metrics come from the trainer's list.
const RESULT_COLUMNS: [keyof ResultRow, string][] = [
  ['cell_key', 'text'],
  ...RESULT_METRICS.map((metric): [keyof ResultRow, string] => [metric, 'double precision']),
  ['diverged', 'boolean'],
  ['steps', 'integer'],
  ['wall_ms', 'double precision'],
  ['backend', 'text'],
  ['worker_id', 'text'],
  ['trainer_version', 'text'],
  ['sweep_id', 'text'],
  ['metrics', 'jsonb'],
  ['code_hash', 'text'],
];

// jsonb travels as its text; every other column as it is.
function columnValue(row: ResultRow, name: keyof ResultRow): unknown {
  const value = row[name];
  if (name === 'metrics') return value === undefined || value === null ? null : JSON.stringify(value);
  return value ?? null;
}

const INSERT_RESULTS_SQL = `
INSERT INTO results (${RESULT_COLUMNS.map(([name]) => name).join(', ')})
SELECT * FROM unnest(${RESULT_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
ON CONFLICT (cell_key) DO NOTHING`;

// First writer wins: a key already stored is the same outcome (same key = same result). Rows go in
// sorted key order so that concurrent writers of overlapping keys always wait on each other in the same
// order and cannot deadlock.
export async function writeResults(pool: pg.Pool, rows: ResultRow[]): Promise<number> {
  const sorted = [...rows].sort((a, b) => (a.cell_key < b.cell_key ? -1 : a.cell_key > b.cell_key ? 1 : 0));
  let inserted = 0;
  for (const chunk of chunks(sorted, RESULT_CHUNK)) {
    const result = await pool.query(
      INSERT_RESULTS_SQL,
      RESULT_COLUMNS.map(([name]) => chunk.map((r) => columnValue(r, name))),
    );
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

export async function existingResultKeys(pool: pg.Pool, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunks(keys, KEY_CHUNK)) {
    const { rows } = await pool.query<{ cell_key: string }>(
      'SELECT cell_key FROM results WHERE cell_key = ANY($1::text[])',
      [chunk],
    );
    for (const r of rows) found.add(r.cell_key);
  }
  return found;
}

const INSERT_CURVES_SQL = `
INSERT INTO curves (cell_key, step, train_loss, test_error, metrics)
SELECT * FROM unnest($1::text[], $2::integer[], $3::double precision[], $4::double precision[], $5::jsonb[])
ON CONFLICT (cell_key, step) DO NOTHING`;

// Points already stored (a retried activity) make COPY fail on the primary key; those chunks are
// written again with ON CONFLICT DO NOTHING in sorted order (same deadlock argument as writeResults).
// Two COPY streams at once: one stream is bound by a single Postgres backend's primary-key maintenance,
// two roughly double throughput (bench/RESULTS.md).
const COPY_CHUNK = 100_000;
const COPY_STREAMS = 2;
const RETRYABLE = new Set(['23505', '40P01']);

export async function writeCurves(pool: pg.Pool, points: CurveRow[]): Promise<void> {
  const queue = [...chunks(points, COPY_CHUNK)];
  const stream = async () => {
    for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
      try {
        await copyCurves(pool, chunk);
      } catch (err) {
        if (!RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
        await insertCurvesIdempotently(pool, chunk);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(COPY_STREAMS, queue.length) }, stream));
}

async function insertCurvesIdempotently(pool: pg.Pool, points: CurveRow[]): Promise<void> {
  const sorted = [...points].sort((a, b) =>
    a.cell_key < b.cell_key ? -1 : a.cell_key > b.cell_key ? 1 : a.step - b.step,
  );
  for (const chunk of chunks(sorted, CURVE_CHUNK)) {
    await pool.query(INSERT_CURVES_SQL, [
      chunk.map((p) => p.cell_key),
      chunk.map((p) => p.step),
      chunk.map((p) => p.train_loss),
      chunk.map((p) => p.test_error),
      chunk.map((p) => (p.metrics ? JSON.stringify(p.metrics) : null)),
    ]);
  }
}

// The latest attempt's error replaces an earlier one for the same sweep and cell; a command cell's
// failure keeps the last 64 KiB of its program's output (`phasesweep logs`).
export async function recordFailure(
  pool: pg.Pool,
  f: { sweep_id: string; cell_key: string; attempt: number; error: string; log_tail?: string | null },
): Promise<void> {
  await pool.query(
    `INSERT INTO failures (sweep_id, cell_key, attempt, error, log_tail) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (sweep_id, cell_key) DO UPDATE SET attempt = EXCLUDED.attempt, error = EXCLUDED.error,
       log_tail = EXCLUDED.log_tail, at = now()`,
    [f.sweep_id, f.cell_key, f.attempt, f.error.slice(0, MAX_ERROR_CHARS), logTail(f.log_tail)],
  );
}

// The last LOG_TAIL_BYTES bytes, cut at a character boundary, without the NULs a text column refuses.
function logTail(text: string | null | undefined): string | null {
  if (text === undefined || text === null) return null;
  const bytes = Buffer.from(text.replaceAll('\u0000', ''), 'utf8');
  if (bytes.length <= LOG_TAIL_BYTES) return bytes.toString('utf8');
  let start = bytes.length - LOG_TAIL_BYTES;
  while (start < bytes.length && (bytes[start] & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}

/**
 * A cell's parameters as the columns of `results` and `export`: every trainer parameter in the
 * trainer's order (so one added there is never left out), each the value the cell ran at
 * (sweep/axes.ts effectiveValue), blank where the cell's method does not read it. Cells stored before
 * a parameter existed ran at its default, which parsing fills in.
 */
export function paramColumns(stored: Record<string, unknown>): Record<string, unknown> {
  const { seed, ...params } = parseCellParams(stored);
  return Object.fromEntries(
    PARAM_NAMES.map((name) => [
      name,
      name === 'method'
        ? params.method
        : name === 'seed'
          ? seed
          : methodUses(params.method, name)
            ? effectiveValue(params, name)
            : null,
    ]),
  );
}

/**
 * A cell of a user's program (`method: command`) as the columns of `results` and `export`: its
 * parameters by its own names, the method first and the seed last.
 */
export function namedParamColumns(stored: Record<string, unknown>): Record<string, unknown> {
  const { method, seed } = stored;
  // the program's identity (argv, env, code hash) is in the key and in `code_hash`, not a parameter
  return { method, ...userParams(stored as CommandParams), seed };
}

type Row = Record<string, unknown>;

// How a page's rows become output rows: a built-in method's with one column per trainer parameter and
// built-in metric; a program's with its parameters and metrics by name (every name its spec lists or
// its results carry, so that every row has the same columns; a metric named like a parameter or a
// column is prefixed `metric_`) and the code hash of the program that made each result.
async function rowLayout(db: pg.PoolClient, sweepId: string): Promise<(row: Row) => Row> {
  const { rows } = await db.query<{ by_name: boolean; listed: string[]; carried: string[] }>(
    SWEEP_METRIC_NAMES_SQL,
    [sweepId],
  );
  const { by_name, listed, carried } = rows[0];
  if (!by_name)
    return ({ ordinal, cell_key, params, metrics: _metrics, code_hash: _hash, ...outcome }) => ({
      ordinal,
      cell_key,
      ...paramColumns(params as Row),
      ...outcome,
    });
  const names = [...new Set([...listed, ...carried])];
  return ({ ordinal, cell_key, params, metrics, ...outcome }) => {
    const columns = namedParamColumns(params as Row);
    const [status, cached] = [outcome.status, outcome.cached];
    const after = Object.fromEntries(NAMED_ROW_OUTCOME.map((name) => [name, outcome[name]]));
    const byName = (metrics ?? {}) as Row;
    // the built-in metric columns, always empty for a program, are left out: its own names take them
    const taken = new Set([
      ...Object.keys(columns),
      ...NAMED_ROW_OUTCOME,
      'ordinal',
      'cell_key',
      'status',
      'cached',
    ]);
    return {
      ordinal,
      cell_key,
      ...columns,
      status,
      cached,
      ...Object.fromEntries(names.map((n) => [taken.has(n) ? `metric_${n}` : n, byName[n] ?? null])),
      ...after,
    };
  };
}

// A program's row after its metrics, in this order.
const NAMED_ROW_OUTCOME = [
  'diverged',
  'trained_steps',
  'wall_ms',
  'backend',
  'worker_id',
  'trainer_version',
  'code_hash',
  'finished_at',
  'failed_attempts',
  'failure',
] as const;

// Every cell of the sweep in grid order: coordinates, seed, status ('done' | 'failed' | 'pending') and
// the stored metrics, for `results` and `export`, a page at a time. The pages are read in one read-only
// repeatable-read transaction: together they are one snapshot of a sweep that may still be running.
export async function* sweepResultPages(
  pool: pg.Pool,
  sweepId: string,
  pageRows = RESULT_PAGE_ROWS,
): AsyncGenerator<Array<Record<string, unknown>>> {
  const client = await pool.connect();
  let finished = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const layout = await rowLayout(client, sweepId);
    for (let after = -1; ;) {
      const { rows } = await client.query<Record<string, unknown>>(SWEEP_RESULTS_SQL, [
        sweepId,
        after,
        pageRows,
      ]);
      if (rows.length > 0) yield rows.map(layout);
      if (rows.length < pageRows) break;
      after = rows[rows.length - 1].ordinal as number;
    }
    await client.query('COMMIT');
    finished = true;
  } finally {
    // A reader that stopped early leaves the transaction open: that connection is closed, not reused.
    client.release(!finished);
  }
}
