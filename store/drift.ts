import type pg from 'pg';

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

// The finished run of the same schedule just before this one: the baseline for nightly drift.
export async function previousScheduledSweep(
  pool: pg.Pool,
  scheduleId: string,
  before: Date,
): Promise<string | undefined> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM sweeps
     WHERE schedule_id = $1 AND created_at < $2 AND status IN ('completed', 'completed_with_failures')
     ORDER BY created_at DESC LIMIT 1`,
    [scheduleId, before],
  );
  return rows[0]?.id;
}
