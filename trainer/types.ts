import type { BackendName } from './backend-names.ts';
import type { PhaseTimes } from './phase-clock.ts';

export interface CurvePoint {
  step: number;
  train_loss: number;
  test_error: number;
}

export interface CellResult {
  test_error: number | null;
  test_loss: number | null;
  train_loss: number | null;
  /** mean |cos(w, mu)| over filters: of the trained filters (supervised), of the pre-trained encoder (simclr) */
  signal_alignment: number | null;
  /** max over filters and training samples of |<w - w_init, xi_i>|: the rho of paper-spec 3.1 */
  noise_memorization: number | null;
  /** NaN/Inf anywhere; the metrics that are not finite are then null (never an error of 1.0) */
  diverged: boolean;
  steps: number;
  /** for a batched cell, its share of the batch's wall time */
  wall_ms: number;
  /** backend actually used ('noop' for method noop) */
  backend: string;
  /** sampled points of the (fine-tuning) training run */
  curve: CurvePoint[];
}

export interface TrainOptions {
  /** default: env PHASESWEEP_BACKEND or 'auto' */
  backend?: BackendName;
  /** checked between chunks of steps; abort -> throws promptly */
  signal?: AbortSignal;
  /** for Temporal heartbeats; called every chunk with the fraction of work done */
  onProgress?: (fraction: number) => void;
  /** default 20 */
  curvePoints?: number;
  /** milliseconds per phase are added here (runs on the calling thread only; for the benchmark) */
  phaseTimes?: PhaseTimes;
}
