import { headDim, pretrainBatch, type CnnParams } from './params.ts';

// How the trainer groups cells, without tfjs: planners outside the trainer cut batches along the same
// lines.

/**
 * Everything but the SNR: cells with the same key share data and are trained together. A cell whose data
 * depend on its SNR (`alone`) trains alone.
 */
export function batchKey(cell: CnnParams<string>, alone = false): string {
  const { snr: _snr, ...rest } = cell;
  const shared = alone ? cell : rest;
  return JSON.stringify(Object.entries(shared).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Cells whose SimCLR pre-training is one and the same computation: everything but the SNR and the
 * fine-tuning settings. Groups that differ only in those (e.g. n_labels 4 and 16) pre-train once.
 */
export function pretrainKey(cell: CnnParams<string>): string {
  const { seed, n_unlabeled, d, sigma_p, m, pretrain_init_norm, pretrain_steps, pretrain_lr, tau } = cell;
  const { augment_keep, augment_mask, projection_head, similarity, symmetric, renormalize } = cell;
  const { head_lr, negatives, signal_direction } = cell;
  return JSON.stringify({
    seed,
    n_unlabeled,
    d,
    sigma_p,
    m,
    pretrain_init_norm,
    pretrain_steps,
    pretrain_lr,
    tau,
    augment_keep,
    augment_mask,
    signal_direction,
    projection_head,
    head_dim: headDim(cell),
    head_lr,
    similarity,
    negatives,
    symmetric,
    pretrain_batch: pretrainBatch(cell),
    renormalize,
  });
}

/**
 * What one pre-trained encoder depends on: its pre-training (pretrainKey) and the SNR of its data,
 * never the other SNRs trained beside it or the labelled rows it serves.
 */
export function encoderKey(cell: CnnParams<string>): string {
  return JSON.stringify([pretrainKey(cell), cell.snr]);
}
