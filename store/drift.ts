import type pg from 'pg';
import { SETTLED_STATUSES } from '../sweep/statuses.ts';
import type { DriftSample } from '../sweep/drift.ts';
import type { EarlierRun } from '../sweep/drift-baseline.ts';
import type { MetricName } from '../trainer/index.ts';
import { metricValueSql } from './metric-sql.ts';
import { runCodeHash } from './schedule-grid-points.ts';

// The sweep_drift table (migrations 004, 017): one drift record per sweep against its baseline.
export interface DriftRecord {
  sweep_id: string;
  // The latest run of the baseline; with `baseline_runs` > 1 the baseline pools that many runs.
  baseline_sweep_id: string;
  baseline_runs: number;
  schedule_id: string | null;
  compared: number;
  // Null in records written before it was counted.
  retrained: number | null;
  moved: number;
  points: unknown[];
  recorded_at: Date;
  // Read with the record, not stored in it: the program's code hash of the sweep and of its baseline's
  // latest run (one version: sweep/drift-baseline.ts); null for a built-in method.
  code_hash: string | null;
  baseline_code_hash: string | null;
}

// A drift record with the code hashes of its sweep (s) and its baseline (b).
const WITH_CODE_HASHES = `
FROM sweep_drift d
LEFT JOIN sweeps s ON s.id = d.sweep_id
LEFT JOIN sweeps b ON b.id = d.baseline_sweep_id`;
const CODE_HASHES = `${runCodeHash('s')} AS code_hash, ${runCodeHash('b')} AS baseline_code_hash`;

export async function recordDrift(
  pool: pg.Pool,
  d: Omit<DriftRecord, 'recorded_at' | 'retrained' | 'baseline_runs' | 'code_hash' | 'baseline_code_hash'> &
    Partial<Pick<DriftRecord, 'retrained' | 'baseline_runs'>>,
): Promise<void> {
  await pool.query(
    `INSERT INTO sweep_drift
       (sweep_id, baseline_sweep_id, schedule_id, compared, moved, points, retrained, baseline_runs)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
     ON CONFLICT (sweep_id) DO UPDATE SET baseline_sweep_id = EXCLUDED.baseline_sweep_id,
       schedule_id = EXCLUDED.schedule_id, compared = EXCLUDED.compared, moved = EXCLUDED.moved,
       points = EXCLUDED.points, retrained = EXCLUDED.retrained,
       baseline_runs = EXCLUDED.baseline_runs, recorded_at = now()`,
    [
      d.sweep_id,
      d.baseline_sweep_id,
      d.schedule_id,
      d.compared,
      d.moved,
      JSON.stringify(d.points),
      d.retrained ?? null,
      d.baseline_runs ?? 1,
    ],
  );
}

export async function getDrift(pool: pg.Pool, sweepId: string): Promise<DriftRecord | undefined> {
  const { rows } = await pool.query<DriftRecord>(
    `SELECT d.*, ${CODE_HASHES} ${WITH_CODE_HASHES} WHERE d.sweep_id = $1`,
    [sweepId],
  );
  return rows[0];
}

// The drift of each sweep a schedule started, for `schedule describe`.
export type ScheduleDriftRow = Pick<
  DriftRecord,
  | 'sweep_id'
  | 'baseline_sweep_id'
  | 'baseline_runs'
  | 'compared'
  | 'retrained'
  | 'moved'
  | 'code_hash'
  | 'baseline_code_hash'
>;

// A schedule's drift records, newest first, each with the code hashes of its run and baseline: $1 the
// schedule, $2 how many (NULL: all). `schedule describe` and the nightly dashboard read them.
export const SCHEDULE_DRIFT_RECORDS_SQL = `
SELECT d.recorded_at, d.sweep_id, d.baseline_sweep_id, d.baseline_runs, d.compared, d.retrained, d.moved,
  ${CODE_HASHES}
${WITH_CODE_HASHES}
WHERE d.schedule_id = $1
ORDER BY d.recorded_at DESC
LIMIT $2`;

export async function scheduleDrift(pool: pg.Pool, scheduleId: string): Promise<ScheduleDriftRow[]> {
  const { rows } = await pool.query<ScheduleDriftRow>(SCHEDULE_DRIFT_RECORDS_SQL, [scheduleId, null]);
  return rows;
}

/**
 * The finished runs of a schedule started before `before`, newest first, each with its program's code
 * hash and its results: what sweep/drift-baseline.ts chooses a nightly drift's baseline among.
 */
export async function earlierScheduledSweeps(
  pool: pg.Pool,
  scheduleId: string,
  before: Date,
): Promise<EarlierRun[]> {
  const { rows } = await pool.query<EarlierRun>(
    `SELECT s.id, ${runCodeHash('s')} AS code_hash,
       (SELECT count(*) FROM sweep_cells c JOIN results r ON r.cell_key = c.cell_key
        WHERE c.sweep_id = s.id)::int AS results
     FROM sweeps s
     WHERE s.schedule_id = $1 AND s.created_at < $2 AND s.status = ANY($3)
     ORDER BY s.created_at DESC`,
    [scheduleId, before, SETTLED_STATUSES],
  );
  return rows;
}

/**
 * Every cell of the given sweeps with a value of the metric (test error by default; a built-in metric,
 * or one a program reported by name), once per cell key (a cell two runs share is one sample): what
 * sweep/drift.ts tests. Diverged cells have no metric and are left out. A program's cell comes with the
 * code hash of its result.
 */
export async function driftSamples(
  pool: pg.Pool,
  sweepIds: string[],
  metric: MetricName = 'test_error',
): Promise<DriftSample[]> {
  const { rows } = await pool.query<DriftSample>(
    `SELECT * FROM (
       SELECT DISTINCT ON (c.cell_key) c.cell_key, c.method, c.n_labels, c.n_unlabeled, c.snr, c.seed,
         c.params - 'seed' AS params, r.metrics IS NOT NULL AS by_name, r.code_hash,
         CASE WHEN NOT r.diverged THEN ${metricValueSql('r', metric)} END AS value
       FROM sweep_cells c JOIN results r ON r.cell_key = c.cell_key
       WHERE c.sweep_id = ANY($1)
       ORDER BY c.cell_key
     ) s
     WHERE value IS NOT NULL`,
    [sweepIds],
  );
  return rows;
}

/** The metrics the results of the given sweeps carry by name (a program's), for `drift --metric`. */
export async function namedMetricsOf(pool: pg.Pool, sweepIds: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT DISTINCT jsonb_object_keys(metric_stats) AS name FROM grid_point_tallies
     WHERE sweep_id = ANY($1) ORDER BY 1`,
    [sweepIds],
  );
  return rows.map((r) => r.name);
}

/** The largest seed any run of the schedule has planned, or null before its first run. */
export async function largestScheduleSeed(pool: pg.Pool, scheduleId: string): Promise<number | null> {
  const { rows } = await pool.query<{ seed: number | null }>(
    `SELECT max(c.seed) AS seed FROM sweep_cells c JOIN sweeps s ON s.id = c.sweep_id
     WHERE s.schedule_id = $1`,
    [scheduleId],
  );
  return rows[0]?.seed ?? null;
}
