import type { GridName } from './design.ts';
import type { StudyMetric, Variant } from './summarize.ts';
import type { Expectation, Verdict } from './verdicts.ts';

/** One comparison: a's `metric` against b's, which the statement expects to be `expect`. */
export interface Check {
  label: string;
  grid: GridName;
  a: Variant;
  b: Variant;
  /** b's grid, when not a's */
  bGrid?: GridName;
  expect: Expectation;
}

export interface Statement {
  id: string;
  text: string;
  /** the metric that decides; `beside` is shown next to it */
  metric: StudyMetric;
  beside?: StudyMetric;
  checks: Check[];
  /** why the toy model disagrees, chosen by the computed verdict (none where it agrees) */
  why?: Partial<Record<Verdict, string>>;
}

const byBatch = (tau: number, small: number, large: number): Check => ({
  label: `τ = ${tau}: B = ${large} against B = ${small}`,
  grid: 'batch',
  a: { pretrain_batch: large, tau },
  b: { pretrain_batch: small, tau },
  expect: 'lower',
});

const NO_NUISANCE =
  'The toy data have one signal direction and isotropic noise, with no nuisance feature for this choice to remove or absorb, and once each variant runs at its own best rate the seeds do not separate them.';

// Chen et al. 2020's claims, judged by the linear probe as their paper does (lower linear_probe_error
// is better), the fine-tuned test error beside it.
export const CLAIMS: Statement[] = [
  {
    id: 'augmentation-strength',
    text: 'Stronger augmentation helps',
    metric: 'linear_probe_error',
    beside: 'test_error',
    checks: [
      {
        label: 'α = 0 (fresh noise) against α = 0.9',
        grid: 'augmentation',
        a: { augment_keep: 0, augment_mask: 0, signal_direction: 'e1' },
        b: { augment_keep: 0.9, augment_mask: 0, signal_direction: 'e1' },
        expect: 'lower',
      },
    ],
    why: {
      'not resolved': `${NO_NUISANCE} Shared noise is a cue for the positive pair only until the encoder has found μ, which a linear probe with 4 labels then reads.`,
      contradicted:
        'A view that keeps more of the anchor’s noise makes the positive pair easier to match; the noise it shares is orthogonal to μ and a linear probe needs only μ in the encoder’s span, so in this model the easier pretext task can reach μ sooner.',
      mixed:
        'Shared noise is a cue for the positive pair only until the encoder has found μ; whether it finds μ first depends on the regime’s effective step, not on anything the augmentation hides.',
    },
  },
  {
    id: 'augmentation-composition',
    text: 'Composing augmentations helps',
    metric: 'linear_probe_error',
    beside: 'test_error',
    checks: [0, 0.5].map((keep) => ({
      label: `α = ${keep}, μ random: masking 0.5 against no mask`,
      grid: 'augmentation' as const,
      a: { augment_keep: keep, augment_mask: 0.5, signal_direction: 'random' },
      // without a mask the direction never reaches the outcome: one cell, reported as e1
      b: { augment_keep: keep, augment_mask: 0, signal_direction: 'e1' },
      expect: 'lower' as const,
    })),
    why: {
      contradicted:
        'Masking removes the same share of the signal as of the noise from each view and the toy data have no nuisance feature for it to hide, so composing it weakens what the two views share; where that separates the linear-probe errors, the masked views lose.',
      'not resolved': `${NO_NUISANCE} Masking removes signal and noise in the same share.`,
      mixed:
        'Masking removes the same share of the signal as of the noise and hides no nuisance feature, so whether it costs anything depends on how much signal is left to lose.',
    },
  },
  {
    id: 'nonlinear-head',
    text: 'A nonlinear projection head helps',
    metric: 'linear_probe_error',
    beside: 'test_error',
    checks: (['head-dot', 'head-cosine'] as const).flatMap((grid) =>
      (['identity', 'linear'] as const).map((other) => ({
        label: `${grid === 'head-dot' ? 'inner product' : 'cosine'}: mlp against ${other}`,
        grid,
        a: { projection_head: 'mlp' },
        b: { projection_head: other },
        expect: 'lower' as const,
      })),
    ),
    why: {
      contradicted:
        'With one signal direction and a linear encoder the identity head’s loss already has μ as its top direction and there is no nuisance information for a head to absorb, while the mlp head’s ReLU discards half of each embedding.',
      'not resolved': `${NO_NUISANCE} A head changes the encoder’s way to μ, not what there is to find.`,
      mixed:
        'The head changes the encoder’s way to μ and has no nuisance information to absorb; whether that way is better or worse depends on the regime.',
    },
  },
  {
    id: 'batch-size',
    text: 'Larger batches help',
    metric: 'linear_probe_error',
    beside: 'test_error',
    checks: [0.1, 0.5, 1].map((tau) => byBatch(tau, 8, 128)),
    why: {
      contradicted:
        'Every negative here is another sample carrying the same ±μ and noise alike in distribution, so more of them per step only average the same repulsion, while smaller batches take more varied steps over the 200 samples.',
      'not resolved':
        'Every negative here is another sample carrying the same ±μ and noise alike in distribution, so more of them per step only average the same repulsion; Chen et al.’s gain comes from negatives that differ in content.',
      mixed:
        'Every negative here is another sample carrying the same ±μ and noise alike in distribution, so the batch size changes how noisy each step is rather than what it learns; which way that goes depends on τ and the regime.',
    },
  },
  {
    id: 'temperature',
    text: 'The temperature matters with cosine similarity',
    metric: 'linear_probe_error',
    beside: 'test_error',
    checks: [8, 32, 128].map((batch) => ({
      label: `B = ${batch}: τ = 0.1 against τ = 1`,
      grid: 'batch' as const,
      a: { pretrain_batch: batch, tau: 0.1 },
      b: { pretrain_batch: batch, tau: 1 },
      expect: 'differs' as const,
    })),
    why: {
      'not resolved':
        'With the learning rate chosen per variant, τ mostly rescales the step; the hard-negative weighting it also sets has little to act on when all negatives are alike in distribution.',
    },
  },
];

// What the README said before this study, each checked again from the data.
export const RECHECKS: Statement[] = [
  {
    id: 'linear-head',
    text: '“A linear head changes nothing”',
    metric: 'linear_probe_error',
    beside: 'test_error',
    checks: (['head-dot', 'head-cosine'] as const).map((grid) => ({
      label: `${grid === 'head-dot' ? 'inner product' : 'cosine'}: linear against identity`,
      grid,
      a: { projection_head: 'linear' },
      b: { projection_head: 'identity' },
      expect: 'same' as const,
    })),
  },
  {
    id: 'alignment-batch',
    text: '“Alignment grows with the batch at every temperature but one”',
    metric: 'pretrain_alignment',
    beside: 'probe_alignment',
    checks: [0.1, 0.5, 1].map((tau) => ({ ...byBatch(tau, 8, 128), expect: 'higher' as const })),
  },
  {
    id: 'more-negatives',
    text: '“More negatives help”',
    metric: 'linear_probe_error',
    beside: 'test_error',
    checks: [
      ...[0.1, 0.5, 1].map((tau) => byBatch(tau, 8, 128)),
      ...[false, true].map((symmetric) => ({
        label: `B = 32, τ = 0.5${symmetric ? ', symmetric' : ''}: all (2B − 2) against cross (B − 1)`,
        grid: 'negatives' as const,
        a: { negatives: 'all', symmetric },
        b: { negatives: 'cross', symmetric },
        expect: 'lower' as const,
      })),
    ],
  },
  {
    id: 'tau-small-batches',
    text: '“τ matters only for small batches”: τ = 0.1 and τ = 1 the same at B = 128',
    metric: 'linear_probe_error',
    beside: 'test_error',
    checks: [
      {
        label: 'B = 128: τ = 0.1 against τ = 1',
        grid: 'batch',
        a: { pretrain_batch: 128, tau: 0.1 },
        b: { pretrain_batch: 128, tau: 1 },
        expect: 'same',
      },
    ],
  },
  {
    id: 'cosine-aligns-worse',
    text: '“Cosine aligns worse than the inner product” (each at its own rate), by mean |cos|, and by the probe beside',
    metric: 'pretrain_alignment',
    beside: 'probe_alignment',
    checks: (['identity', 'mlp'] as const).map((head) => ({
      label: `${head} head: cosine against inner product`,
      grid: 'head-cosine' as const,
      a: { projection_head: head },
      b: { projection_head: head },
      bGrid: 'head-dot' as const,
      expect: 'lower' as const,
    })),
  },
];
