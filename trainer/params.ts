import { z } from 'zod';

// The parameters every built-in method is parsed with, one schema each: types, defaults (paper-spec 6.1
// and 6.3) and validation messages all come from it. Each method adds its name and its own checks
// (trainer/methods/); the parameters a method never reads are still parsed, so that a cell of any method
// has every field and one key layout.
// SimCLR's design choices (Chen et al. 2020) as closed sets; the first of each list is the default,
// which reproduces the pre-training of paper-spec 2.2.
export const PROJECTION_HEADS = ['identity', 'linear', 'mlp'] as const;
export type ProjectionHead = (typeof PROJECTION_HEADS)[number];
export const SIMILARITIES = ['dot', 'cosine'] as const;
export type Similarity = (typeof SIMILARITIES)[number];
export const FINETUNE_MODES = ['full', 'linear_probe'] as const;
export type FinetuneMode = (typeof FINETUNE_MODES)[number];
// cross: each anchor against the B - 1 other views (paper-spec 1.3); all: also against the other
// anchors, the 2B - 2 negatives of Chen et al.'s NT-Xent.
export const NEGATIVES = ['cross', 'all'] as const;
export type Negatives = (typeof NEGATIVES)[number];
// e1: mu = ||mu|| e_1 (paper-spec 1.1's shortcut); random: along a seeded random unit vector, which only
// augment_mask can tell apart (it masks coordinates of the data's basis).
export const SIGNAL_DIRECTIONS = ['e1', 'random'] as const;
export type SignalDirection = (typeof SIGNAL_DIRECTIONS)[number];

/** The parameters of SimCLR's design choices: only a method that pre-trains reads them. */
export const SIMCLR_DESIGN_PARAMS = [
  'augment_keep',
  'augment_mask',
  'signal_direction',
  'projection_head',
  'head_dim',
  'head_lr',
  'similarity',
  'negatives',
  'symmetric',
  'pretrain_batch',
  'renormalize',
  'finetune',
] as const;

// The encoder's rows have norm pretrain_init_norm (1e-3), so the head sees tiny embeddings and its
// gradient is tiny too: at the encoder's rate (0.05) it moved by 0.02-0.5 % over 200 steps with the inner
// product, a fixed random projection. At 20 every cell of examples/simclr-head.yaml (seeds 0, 1) moves it
// by at least 10.9 % (relative Frobenius norm; up to 10x with the inner product at SNR 0.4).
const HEAD_LR = 20;

const positiveInt = z.number().int().positive();
const positive = z.number().finite().positive();

export const paramShape = {
  n_labels: positiveInt.default(16),
  n_unlabeled: positiveInt.default(400),
  snr: z.number().finite().nonnegative().default(0.2),
  seed: z.number().int().nonnegative().default(0),
  d: z.number().int().min(2).default(200),
  m: positiveInt.default(10),
  q: z.number().finite().min(1).default(3),
  sigma0: positive.default(0.01),
  sigma_p: positive.default(1),
  p: z.number().finite().min(0).lt(0.5).default(0),
  lr: positive.default(1),
  steps: z.number().int().nonnegative().default(1000),
  n_test: positiveInt.default(1000),
  // the validation set that picks the best iterate, drawn as the test set is, from its own stream
  n_val: positiveInt.default(1000),
  pretrain_steps: z.number().int().nonnegative().default(1000),
  pretrain_lr: positive.default(0.05),
  pretrain_init_norm: positive.default(1e-3),
  tau: positive.default(1),
  augment_keep: z
    .number()
    .finite()
    .min(0, 'expected 0 <= alpha <= 1')
    .max(1, 'expected 0 <= alpha <= 1')
    .default(0),
  augment_mask: z.number().finite().min(0, 'expected 0 <= r < 1').lt(1, 'expected 0 <= r < 1').default(0),
  signal_direction: z
    .enum(SIGNAL_DIRECTIONS, { error: `expected one of ${SIGNAL_DIRECTIONS.join(', ')}` })
    .default('e1'),
  projection_head: z
    .enum(PROJECTION_HEADS, { error: `expected one of ${PROJECTION_HEADS.join(', ')}` })
    .default('identity'),
  // absent: the representation's width M = 2m
  head_dim: positiveInt.optional(),
  // the head's own learning rate (the encoder's is pretrain_lr)
  head_lr: positive.default(HEAD_LR),
  similarity: z.enum(SIMILARITIES, { error: `expected one of ${SIMILARITIES.join(', ')}` }).default('dot'),
  negatives: z.enum(NEGATIVES, { error: `expected one of ${NEGATIVES.join(', ')}` }).default('cross'),
  symmetric: z.boolean({ error: 'expected true or false' }).default(false),
  // absent: n_unlabeled (full-batch pre-training)
  pretrain_batch: positiveInt.optional(),
  renormalize: z.boolean({ error: 'expected true or false' }).default(true),
  finetune: z.enum(FINETUNE_MODES, { error: `expected one of ${FINETUNE_MODES.join(', ')}` }).default('full'),
};
export type ParamName = keyof typeof paramShape;

/** The parameters only a pre-training stage reads (SimCLR's): methods without one ignore them. */
export const PRETRAIN_ONLY: readonly ParamName[] = [
  'n_unlabeled',
  'pretrain_steps',
  'pretrain_lr',
  'pretrain_init_norm',
  'tau',
  ...SIMCLR_DESIGN_PARAMS,
];

/** Every parameter at its default. */
export const PARAM_DEFAULTS = z.object(paramShape).parse({});

/** The check across parameters that holds for every method: a pre-training batch fits the unlabeled set. */
export function checkPretrainBatch(
  cell: { pretrain_batch?: number; n_unlabeled: number },
  ctx: z.RefinementCtx,
): void {
  if (cell.pretrain_batch !== undefined && cell.pretrain_batch > cell.n_unlabeled) {
    ctx.addIssue({
      code: 'custom',
      path: ['pretrain_batch'],
      message: `the batch (${cell.pretrain_batch}) must not exceed n_unlabeled (${cell.n_unlabeled})`,
    });
  }
}

/** A built-in method's parameters: every shared one, and its name. */
export type CnnParams<Name extends string> = z.output<z.ZodObject<typeof paramShape>> & { method: Name };

/** The head's output width k: head_dim, else the representation's width M = 2m. */
export function headDim(cell: { head_dim?: number; m: number }): number {
  return cell.head_dim ?? 2 * cell.m;
}

/** Anchors per pre-training step: pretrain_batch, else every unlabeled sample. */
export function pretrainBatch(cell: { pretrain_batch?: number; n_unlabeled: number }): number {
  return cell.pretrain_batch ?? cell.n_unlabeled;
}

export class TrainerInputError extends Error {
  // The CLI maps errors carrying this flag to exit code 2 (bad input).
  readonly badInput = true;
}
