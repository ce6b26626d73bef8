// The design-choice study of README "What the toy model says about SimCLR's design choices": which
// grids run, in which regimes, with which seeds and learning-rate grids. Everything the section says is
// computed from the sweeps these define.

/** A value of a design axis as a spec writes it. */
export type AxisValue = number | string | boolean;

export const REGIMES = ['spec', 'unit'] as const;
export type Regime = (typeof REGIMES)[number];

// The spec's regime keeps the encoder's rows at norm 1e-3 (paper-spec 2.2): every similarity is tiny,
// the softmax uniform, so with the inner product tau is a rescale of the rate and the symmetric loss
// and the head barely act. The second starts the rows at norm 1, where similarities are of order 1 and
// those choices change the gradient. It does not renormalise: cosine similarity is invariant to the
// rows' common scale, so rows held at norm 1 would be the spec's regime at a rate 10^6 times larger,
// the same experiment; plain GD lets the rows' norms move, which cosine's gradient then feels.
export const REGIME_PARAMS: Record<Regime, Record<string, AxisValue>> = {
  spec: { pretrain_init_norm: 0.001, renormalize: true, head_lr: 20 },
  unit: { pretrain_init_norm: 1, renormalize: false, head_lr: 0.05 },
};

export const REGIME_LABELS: Record<Regime, string> = {
  spec: 'rows of norm 10⁻³ (paper-spec)',
  unit: 'rows from norm 1, plain GD',
};

export const GRID_NAMES = [
  'augmentation',
  'head-dot',
  'head-cosine',
  'batch',
  'tau-dot',
  'negatives',
] as const;
export type GridName = (typeof GRID_NAMES)[number];

export interface StudyGrid {
  name: GridName;
  title: string;
  /** the design axes compared (their cartesian product are the variants) */
  axes: Record<string, AxisValue[]>;
  /** what every variant of the grid shares beside the common parameters */
  fixed: Record<string, AxisValue>;
  /** which learning-rate grid its variants choose from (the effective step depends on the similarity) */
  similarity: 'dot' | 'cosine';
}

// Mini-batches of 32 wherever the batch is not the question: a step costs B² similarities, so full
// batches of n_unlabeled = 200 made a cell about ten times dearer, and Chen et al. pre-train on
// mini-batches too.
export const GRIDS: readonly StudyGrid[] = [
  {
    name: 'augmentation',
    title:
      'Augmentation strength α (`augment_keep`), composed masking (`augment_mask`) and the signal direction (B = 32)',
    axes: { augment_keep: [0, 0.5, 0.9], augment_mask: [0, 0.5], signal_direction: ['e1', 'random'] },
    fixed: { similarity: 'dot', pretrain_batch: 32 },
    similarity: 'dot',
  },
  {
    name: 'head-dot',
    title: 'Projection head, inner product (B = 32)',
    axes: { projection_head: ['identity', 'linear', 'mlp'] },
    fixed: { similarity: 'dot', pretrain_batch: 32 },
    similarity: 'dot',
  },
  {
    name: 'head-cosine',
    title: 'Projection head, cosine similarity (τ = 0.5, B = 32)',
    axes: { projection_head: ['identity', 'linear', 'mlp'] },
    fixed: { similarity: 'cosine', tau: 0.5, pretrain_batch: 32 },
    similarity: 'cosine',
  },
  {
    name: 'batch',
    title: 'Batch size B and temperature τ, cosine similarity',
    axes: { pretrain_batch: [8, 32, 128], tau: [0.1, 0.5, 1] },
    fixed: { similarity: 'cosine' },
    similarity: 'cosine',
  },
  {
    // Rates 10x apart and tau 10x apart, so that tau = 0.1 at rate lr and tau = 1 at 10 lr are both run:
    // the pair that is one experiment wherever tau only rescales the rate.
    name: 'tau-dot',
    title: 'Temperature τ and the symmetric loss, inner product (B = 32)',
    axes: { tau: [0.1, 1], symmetric: [false, true] },
    fixed: { similarity: 'dot', pretrain_batch: 32 },
    similarity: 'dot',
  },
  {
    name: 'negatives',
    title:
      'Negatives (`cross`: B − 1, `all`: 2B − 2) and the symmetric loss, cosine similarity (B = 32, τ = 0.5)',
    axes: { negatives: ['cross', 'all'], symmetric: [false, true] },
    fixed: { similarity: 'cosine', tau: 0.5, pretrain_batch: 32 },
    similarity: 'cosine',
  },
];

export const MODES = ['full', 'quick'] as const;
export type Mode = (typeof MODES)[number];

export interface ModePlan {
  snrs: number[];
  /** seeds whose results the tables report */
  seeds: number[];
  /** seeds that only choose each variant's learning rate: other data than the reported seeds' */
  selectionSeeds: number[];
  /** pretrain_lr candidates per regime and similarity, the inner product's 10x apart. With cosine only
   * lr / row norm² matters, and under plain GD the rows grow, so the unit regime's are larger than the
   * spec's times 10⁶; with the inner product at norm 1 plain GD diverges at 0.5. */
  lrs: Record<Regime, Record<'dot' | 'cosine', number[]>>;
  common: Record<string, AxisValue>;
}

const COMMON = { n_unlabeled: 200, n_labels: 4, n_test: 500, n_val: 500 };

export const PLANS: Record<Mode, ModePlan> = {
  full: {
    snrs: [0.1, 0.4],
    seeds: [0, 1, 2, 3],
    selectionSeeds: [100, 101],
    lrs: {
      spec: { dot: [0.005, 0.05, 0.5], cosine: [5e-8, 2e-6, 5e-5] },
      unit: { dot: [0.0005, 0.005, 0.05], cosine: [2, 50, 1000] },
    },
    common: { ...COMMON, pretrain_steps: 300, steps: 300 },
  },
  quick: {
    snrs: [0.1, 0.4],
    seeds: [0, 1],
    selectionSeeds: [100],
    lrs: {
      spec: { dot: [0.05], cosine: [5e-6, 5e-5] },
      unit: { dot: [0.005], cosine: [2, 50] },
    },
    common: { ...COMMON, n_unlabeled: 128, pretrain_steps: 40, steps: 60, n_test: 200, n_val: 200 },
  },
};
