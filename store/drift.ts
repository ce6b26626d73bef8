import type pg from 'pg';
import { gridStats } from './aggregates.ts';
import { SETTLED_STATUSES } from '../sweep/statuses.ts';
import { getSweep } from './sweeps.ts';
import { gridDrift, type DriftOptions } from '../sweep/drift.ts';

// The sweep_drift table (migration 004): one drift record per sweep against its baseline.
export interface DriftRecord {
  sweep_id: string;
  baseline_sweep_id: string;
  schedule_id: string | null;
  compared: number;
  moved: number;
  points: unknown[];
  recorded_at: Date;
}

export async function recordDrift(pool: pg.Pool, d: Omit<DriftRecord, 'recorded_at'>): Promise<void> {
  await pool.query(
    `INSERT INTO sweep_drift (sweep_id, baseline_sweep_id, schedule_id, compared, moved, points)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb)
     ON CONFLICT (sweep_id) DO UPDATE SET baseline_sweep_id = EXCLUDED.baseline_sweep_id,
       schedule_id = EXCLUDED.schedule_id, compared = EXCLUDED.compared, moved = EXCLUDED.moved,
       points = EXCLUDED.points, recorded_at = now()`,
    [d.sweep_id, d.baseline_sweep_id, d.schedule_id, d.compared, d.moved, JSON.stringify(d.points)],
  );
}

export async function getDrift(pool: pg.Pool, sweepId: string): Promise<DriftRecord | undefined> {
  const { rows } = await pool.query<DriftRecord>('SELECT * FROM sweep_drift WHERE sweep_id = $1', [sweepId]);
  return rows[0];
}

// The drift of each sweep a schedule started, for `schedule describe`.
export async function scheduleDrift(
  pool: pg.Pool,
  scheduleId: string,
): Promise<Pick<DriftRecord, 'sweep_id' | 'baseline_sweep_id' | 'compared' | 'moved'>[]> {
  const { rows } = await pool.query<
    Pick<DriftRecord, 'sweep_id' | 'baseline_sweep_id' | 'compared' | 'moved'>
  >('SELECT sweep_id, baseline_sweep_id, compared, moved FROM sweep_drift WHERE schedule_id = $1', [
    scheduleId,
  ]);
  return rows;
}

// The finished run of the same schedule just before this one: the baseline for nightly drift.
export async function previousScheduledSweep(
  pool: pg.Pool,
  scheduleId: string,
  before: Date,
): Promise<string | undefined> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM sweeps
     WHERE schedule_id = $1 AND created_at < $2 AND status = ANY($3)
     ORDER BY created_at DESC LIMIT 1`,
    [scheduleId, before, SETTLED_STATUSES],
  );
  return rows[0]?.id;
}

/**
 * After a scheduled sweep: compare it with the previous finished run of its schedule and record the
 * drift, decided as the `drift` command decides it (sweep/drift.ts). Returns null when the sweep has no schedule or its schedule no earlier run.
 */
export async function recordScheduleDrift(
  pool: pg.Pool,
  sweepId: string,
  opts: DriftOptions = {},
): Promise<{ baseline_sweep_id: string; compared: number; moved: number } | null> {
  const sweep = await getSweep(pool, sweepId);
  if (!sweep?.schedule_id) return null;
  const baseline = await previousScheduledSweep(pool, sweep.schedule_id, sweep.created_at);
  if (!baseline) return null;
  const report = gridDrift(await gridStats(pool, baseline), await gridStats(pool, sweepId), opts);
  await recordDrift(pool, {
    sweep_id: sweepId,
    baseline_sweep_id: baseline,
    schedule_id: sweep.schedule_id,
    compared: report.compared,
    moved: report.moved.length,
    points: report.moved,
  });
  return { baseline_sweep_id: baseline, compared: report.compared, moved: report.moved.length };
}
