import { momentsApply } from './contrastive.ts';
import { headDim, pretrainBatch, viewsDependOnSnr, type CellParams } from './params.ts';

// How the trainer groups cells, without tfjs: planners outside the trainer cut batches along the same
// lines and weigh them by the same cost.

/** Everything but the SNR: cells with the same key share data and are trained together. */
export function batchKey(cell: CellParams): string {
  const { snr: _snr, ...rest } = cell;
  // Masked views of a random signal direction are built at one ||mu||: such cells train alone.
  const shared = viewsDependOnSnr(cell) ? cell : rest;
  return JSON.stringify(Object.entries(shared).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Cells whose SimCLR pre-training is one and the same computation: everything but the SNR and the
 * fine-tuning settings. Groups that differ only in those (e.g. n_labels 4 and 16) pre-train once.
 */
export function pretrainKey(cell: CellParams): string {
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
export function encoderKey(cell: CellParams): string {
  return JSON.stringify([pretrainKey(cell), cell.snr]);
}

/** Rough relative cost of a cell in multiply-adds of the js path, for progress and for balancing threads. */
export function workOf(cell: CellParams): number {
  if (cell.method === 'noop') return 0;
  const rows = 2 * cell.m;
  let pre = 0;
  if (
    cell.method === 'simclr' &&
    momentsApply(cell.projection_head, cell, pretrainBatch(cell) === cell.n_unlabeled)
  ) {
    // per step: 4 products with the data and the third moments over P = rows (rows + 1) / 2 pairs
    pre = cell.pretrain_steps * rows * cell.n_unlabeled * (4 * cell.d + 2 * rows * (rows + 1));
  } else if (cell.method === 'simclr') {
    // explicit B x B similarities (forward and backward) and the head, besides the data products
    const B = pretrainBatch(cell);
    const k = headDim(cell);
    pre = cell.pretrain_steps * B * (4 * rows * cell.d + 4 * B * k + 12 * rows * k);
  }
  // per step: the Gram update, about half of it skipped by the ReLU, plus the fixed per-step work
  const n = cell.n_labels;
  return pre + cell.steps * rows * n * (Math.min(n, 2 * cell.d) / 2 + 20);
}
