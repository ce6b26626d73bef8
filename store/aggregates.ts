import type pg from 'pg';
import { GRID_STATS_SQL, PHASE_BOUNDARY_SQL } from './queries.ts';

// The coordinates shared by a grid row of a sweep (every trainer parameter but SNR and seed), as
// both views return them.
export interface GridRow {
  sweep_id: string;
  method: string;
  n_labels: number;
  n_unlabeled: number | null;
  d: number;
  m: number;
  q: number;
  p: number;
  sigma0: number;
  sigma_p: number;
  lr: number;
  steps: number;
  n_test: number;
  pretrain_steps: number | null;
  pretrain_lr: number | null;
  tau: number | null;
}

// One row of the grid_point_stats view (store/migrations/003_aggregates.sql): a grid point of a sweep
// over its seeds. seeds counts cells with a result; diverged ones among them add to `diverged` but to
// no metric; n is the number of test errors averaged. sd and CI are NULL below two values.
export interface GridPointStats extends GridRow {
  snr: number;
  cells: number;
  seeds: number;
  diverged: number;
  failed: number;
  n: number;
  mean_test_error: number | null;
  sd_test_error: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
  n_test_loss: number;
  mean_test_loss: number | null;
  sd_test_loss: number | null;
  ci95_low_test_loss: number | null;
  ci95_high_test_loss: number | null;
  n_train_loss: number;
  mean_train_loss: number | null;
  sd_train_loss: number | null;
  ci95_low_train_loss: number | null;
  ci95_high_train_loss: number | null;
  n_signal_alignment: number;
  mean_signal_alignment: number | null;
  sd_signal_alignment: number | null;
  ci95_low_signal_alignment: number | null;
  ci95_high_signal_alignment: number | null;
  n_noise_memorization: number;
  mean_noise_memorization: number | null;
  sd_noise_memorization: number | null;
  ci95_low_noise_memorization: number | null;
  ci95_high_noise_memorization: number | null;
}

export async function gridStats(pool: pg.Pool, sweepId: string): Promise<GridPointStats[]> {
  const { rows } = await pool.query<GridPointStats>(GRID_STATS_SQL, [sweepId]);
  return rows;
}

// One row of the phase_boundary view: a grid row (all coordinates but SNR and seed) with the SNR where
// its mean test error first falls through 0.25 (interpolated in log SNR; NULL if it never does inside
// the grid) and the theory's invariant at that SNR: n_labels * snr_star^q, or for SimCLR
// n_unlabeled * snr_star^2 (named in `theory`).
export interface BoundaryRow extends GridRow {
  points: number;
  snr_min: number;
  snr_max: number;
  snr_star: number | null;
  theory: string;
  theory_value: number | null;
}

export async function phaseBoundary(pool: pg.Pool, sweepId: string): Promise<BoundaryRow[]> {
  const { rows } = await pool.query<BoundaryRow>(PHASE_BOUNDARY_SQL, [sweepId]);
  return rows;
}
