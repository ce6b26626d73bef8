import { momentsApply } from '../contrastive.ts';
import { batchKey, pretrainKey } from '../grouping.ts';
import { headDim, PARAM_DEFAULTS, pretrainBatch, type CnnParams } from '../params.ts';
import { RESULT_METRICS } from '../result-metrics.ts';
import { TRAINER_VERSION } from '../version.ts';
import { cnnKey, cnnNormalize, cnnSchema, cnnShape, fineTuneWork } from './cnn.ts';
import type { TrainerMethod } from './method.ts';

// SimCLR pre-training of the CNN's filters on unlabeled samples, then fine-tuning on the labelled ones
// (paper-spec 1.3, 2.2), with the design choices of Chen et al. 2020.

const name = 'simclr';
export type SimclrParams = CnnParams<typeof name>;

// Part of every SimCLR cell key, on top of the shared trainer's: bump it when only SimCLR's outcomes
// change. .1: a cell whose pre-training ran away (pretrain-divergence.ts) is diverged, its metrics null;
// before, the js path reported a float64 head_change such as 1e63 beside a diverged flag.
const VERSION = `${TRAINER_VERSION}.1`;

/** Whether a cell's pre-training views depend on ||mu||: masked views of a random signal direction. */
export function viewsDependOnSnr(cell: SimclrParams): boolean {
  return cell.signal_direction === 'random' && cell.augment_mask > 0;
}

function shape(params: SimclrParams): Record<string, unknown> {
  return { ...cnnShape(params), n_unlabeled: params.n_unlabeled, pretrain_steps: params.pretrain_steps };
}

/** Rough cost of the pre-training in multiply-adds of the js path. */
function pretrainWork(cell: SimclrParams): number {
  const rows = 2 * cell.m;
  if (momentsApply(cell.projection_head, cell, pretrainBatch(cell) === cell.n_unlabeled)) {
    // per step: 4 products with the data and the third moments over P = rows (rows + 1) / 2 pairs
    return cell.pretrain_steps * rows * cell.n_unlabeled * (4 * cell.d + 2 * rows * (rows + 1));
  }
  // explicit B x B similarities (forward and backward) and the head, besides the data products
  const B = pretrainBatch(cell);
  const k = headDim(cell);
  return cell.pretrain_steps * B * (4 * rows * cell.d + 4 * B * k + 12 * rows * k);
}

export const simclr = {
  name,
  schema: cnnSchema(name, {
    // The identity head has no width of its own: a head_dim there would be silently meaningless.
    check: (cell, ctx) => {
      if (cell.head_dim !== undefined && cell.projection_head === 'identity') {
        ctx.addIssue({
          code: 'custom',
          path: ['head_dim'],
          message: 'only a linear or mlp projection_head has a head_dim (the identity head has none)',
        });
      }
    },
  }),
  version: VERSION,
  trains: true,
  metrics: RESULT_METRICS,
  uses: () => true,
  normalize: (params) => {
    const out = cnnNormalize(params, () => true);
    // The linear probe trains no ReLU^q network: q never reaches its outcome.
    if (out.finetune === 'linear_probe') out.q = PARAM_DEFAULTS.q;
    return out;
  },
  keyOf: (params) => cnnKey(params, VERSION),
  shape,
  // Cells that differ only in their fine-tuning (n_labels, q, steps, n_test) share a group, so that a
  // batch can hold every cell of one encoder and the encoder is pre-trained once, in one training
  // thread, instead of once per thread.
  group: (params) => {
    const { n_labels: _n, q: _q, steps: _s, n_test: _t, ...pretraining } = shape(params);
    return pretraining;
  },
  unitKey: pretrainKey,
  // Masked views of a random signal direction are built at one ||mu||: such cells train alone.
  batchKey: (params) => batchKey(params, viewsDependOnSnr(params)),
  work: (params) => pretrainWork(params) + fineTuneWork(params),
  train: async (cells, ctx) => (await import('../train-cnn.ts')).trainCnnGroup(cells, ctx, true),
} as const satisfies TrainerMethod<SimclrParams>;
