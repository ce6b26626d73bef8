import type pg from 'pg';
import { SETTLED_STATUSES } from '../sweep/statuses.ts';
import type { DriftSample } from '../sweep/drift.ts';
import type { MetricName } from '../trainer/index.ts';
import { metricValueSql } from './metric-sql.ts';

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
}

export async function recordDrift(
  pool: pg.Pool,
  d: Omit<DriftRecord, 'recorded_at' | 'retrained' | 'baseline_runs'> &
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
  const { rows } = await pool.query<DriftRecord>('SELECT * FROM sweep_drift WHERE sweep_id = $1', [sweepId]);
  return rows[0];
}

// The drift of each sweep a schedule started, for `schedule describe`.
export type ScheduleDriftRow = Pick<
  DriftRecord,
  'sweep_id' | 'baseline_sweep_id' | 'baseline_runs' | 'compared' | 'retrained' | 'moved'
>;

export async function scheduleDrift(pool: pg.Pool, scheduleId: string): Promise<ScheduleDriftRow[]> {
  const { rows } = await pool.query<ScheduleDriftRow>(
    `SELECT sweep_id, baseline_sweep_id, baseline_runs, compared, retrained, moved FROM sweep_drift
     WHERE schedule_id = $1`,
    [scheduleId],
  );
  return rows;
}

/**
 * The finished runs of a schedule started before `before`, newest first: the baseline for nightly
 * drift (the first of them, or all of them when each run trains fresh seeds).
 */
export async function earlierScheduledSweeps(
  pool: pg.Pool,
  scheduleId: string,
  before: Date,
): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM sweeps
     WHERE schedule_id = $1 AND created_at < $2 AND status = ANY($3)
     ORDER BY created_at DESC`,
    [scheduleId, before, SETTLED_STATUSES],
  );
  return rows.map((r) => r.id);
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
