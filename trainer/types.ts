import type { ResultMetric } from './result-metrics.ts';
import type { BackendName } from './backend-names.ts';
import type { PhaseTimes } from './phase-clock.ts';

export interface CurvePoint {
  step: number;
  train_loss: number;
  test_error: number;
}

export interface CellResult extends Record<ResultMetric, number | null> {
  /** final iterate's P(y != sign f) on the test set */
  test_error: number | null;
  /** minimum over the logged iterates (the theorems are best-iterate) */
  best_test_error: number | null;
  test_loss: number | null;
  train_loss: number | null;
  /** mean |cos(w, mu)| over the trained classifier's filters */
  signal_alignment: number | null;
  /** gamma of paper-spec 3.1: max over filters of |<w - w_init, mu>| / ||mu||^2 (null when mu = 0) */
  signal_learning: number | null;
  /** rho of paper-spec 3.1: max over filters and training samples of |<w - w_init, xi_i>| / ||xi_i||^2 */
  noise_memorization: number | null;
  /** mean |cos(w, mu)| over the pre-trained encoder's filters (SimCLR; null otherwise) */
  pretrain_alignment: number | null;
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
