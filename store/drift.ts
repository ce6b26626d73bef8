import type pg from 'pg';
import { gridStats } from './aggregates.ts';
import { getSweep } from './sweeps.ts';

/** The fields of a grid point drift compares (GridPointStats has them, and the rest of the coordinates). */
export interface DriftInput {
  method: string;
  n_labels: number;
  n_unlabeled: number | null;
  snr: number;
  mean_test_error: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
}

// A grid point has drifted when each run's mean test error lies outside the other run's 95% CI and the
// change exceeds `minDelta`. A run with fewer than two seeds has no CI: mean ± minDelta stands in, so
// single-seed sweeps are compared at that tolerance instead of flagging every rounding difference.
export const DEFAULT_MIN_DELTA = 0.05;

// Everything that places a grid point, besides the seed averaged over.
const COORDINATES = [
  'method',
  'n_labels',
  'n_unlabeled',
  'snr',
  'd',
  'm',
  'q',
  'p',
  'sigma0',
  'sigma_p',
  'lr',
  'steps',
  'n_test',
  'pretrain_steps',
  'pretrain_lr',
  'tau',
] as const;

export interface DriftPoint {
  method: string;
  n_labels: number;
  n_unlabeled: number | null;
  snr: number;
  before: number;
  after: number;
  delta: number;
  before_ci: [number, number] | null;
  after_ci: [number, number] | null;
}

export interface DriftReport {
  compared: number;
  only_in_a: number;
  only_in_b: number;
  moved: DriftPoint[];
}

function keyOf(pt: DriftInput): string {
  const rec = pt as unknown as Record<string, unknown>;
  return COORDINATES.map((k) => String(rec[k] ?? '')).join('|');
}

function ciOf(pt: DriftInput): [number, number] | null {
  return pt.ci95_low === null || pt.ci95_high === null ? null : [pt.ci95_low, pt.ci95_high];
}

function outside(value: number, ci: [number, number] | null, mean: number, minDelta: number): boolean {
  const [lo, hi] = ci ?? [mean - minDelta, mean + minDelta];
  return value < lo || value > hi;
}

export function gridDrift(a: DriftInput[], b: DriftInput[], minDelta = DEFAULT_MIN_DELTA): DriftReport {
  const before = new Map(a.filter((pt) => pt.mean_test_error !== null).map((pt) => [keyOf(pt), pt]));
  const after = b.filter((pt) => pt.mean_test_error !== null);
  const moved: DriftPoint[] = [];
  let compared = 0;
  for (const pt of after) {
    const old = before.get(keyOf(pt));
    if (!old) continue;
    compared++;
    const x = old.mean_test_error!;
    const y = pt.mean_test_error!;
    const significant =
      Math.abs(y - x) > minDelta && outside(y, ciOf(old), x, minDelta) && outside(x, ciOf(pt), y, minDelta);
    if (significant) {
      moved.push({
        method: pt.method,
        n_labels: pt.n_labels,
        n_unlabeled: pt.n_unlabeled,
        snr: pt.snr,
        before: x,
        after: y,
        delta: y - x,
        before_ci: ciOf(old),
        after_ci: ciOf(pt),
      });
    }
  }
  return { compared, only_in_a: before.size - compared, only_in_b: after.length - compared, moved };
}

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

/**
 * After a scheduled sweep: compare it with the previous finished run of its schedule and record the
 * drift. Returns null when the sweep has no schedule or its schedule no earlier run.
 */
export async function recordScheduleDrift(
  pool: pg.Pool,
  sweepId: string,
  minDelta = DEFAULT_MIN_DELTA,
): Promise<{ baseline_sweep_id: string; compared: number; moved: number } | null> {
  const sweep = await getSweep(pool, sweepId);
  if (!sweep?.schedule_id) return null;
  const baseline = await previousScheduledSweep(pool, sweep.schedule_id, sweep.created_at);
  if (!baseline) return null;
  const report = gridDrift(await gridStats(pool, baseline), await gridStats(pool, sweepId), minDelta);
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
