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
  /** test error of the logged iterate with the lowest validation error (the theorems are best-iterate) */
  best_test_error: number | null;
  /** the step of that iterate */
  best_step: number | null;
  test_loss: number | null;
  train_loss: number | null;
  /** mean |cos(w, mu)| over the trained classifier's filters */
  signal_alignment: number | null;
  /** gamma of paper-spec 3.1: max over the 2m filters of j <w_{j,r} - w0_{j,r}, mu> (null for mu = 0 and
   * for the linear probe, which trains no filter) */
  signal_learning: number | null;
  /** rho of paper-spec 3.1: max over filters and training samples of |<w - w0, xi_i>| (null for the probe) */
  noise_memorization: number | null;
  /** mean |cos(w, mu)| over the pre-trained encoder's filters (SimCLR; null otherwise) */
  pretrain_alignment: number | null;
  /** ||P_W mu|| / ||mu||, P_W the projection onto the pre-trained filters' row space (SimCLR) */
  probe_alignment: number | null;
  /** test error of logistic regression on the frozen pre-trained encoder's features (SimCLR) */
  linear_probe_error: number | null;
  /** ||V - V0||_F / ||V0||_F of the projection head over pre-training (SimCLR with a linear or mlp head) */
  head_change: number | null;
  /** NaN/Inf anywhere, or SimCLR pre-training out of float32 range (pretrain-divergence.ts); the metrics
   * that are not finite (all of them, for a SimCLR run-away) are then null (never an error of 1.0) */
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
