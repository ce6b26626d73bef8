import { GRIDS, PLANS, REGIMES, type GridName, type Mode, type Regime } from './design.ts';
import { metricOf, type CellLookup, type Variant } from './summarize.ts';

// Where a design choice acts at all: two variants on the same data (seed) at the same rate, or at
// rates in a fixed ratio, compared cell by cell. A choice that is a no-op moves nothing but rounding;
// one that changes the gradient moves the encoder. Intervals over seeds cannot tell the two apart
// (a tiny difference can be perfectly consistent), so this reads the size of the paired differences.

export interface Effect {
  id: string;
  /** the choice and what is compared */
  text: string;
  grid: GridName;
  a: Variant;
  b: Variant;
  /** a runs at this multiple of b's rate (1: the same rate) */
  rateRatio: number;
}

export const EFFECT_METRICS = ['pretrain_alignment', 'probe_alignment', 'linear_probe_error'] as const;
export type EffectMetric = (typeof EFFECT_METRICS)[number];

/** A choice acts where it moves an alignment of some cell by at least this much. */
export const ACTS_AT_LEAST = 1e-3;

const sameRate = (id: string, text: string, grid: GridName, a: Variant, b: Variant): Effect => ({
  id,
  text,
  grid,
  a,
  b,
  rateRatio: 1,
});

export const EFFECTS: Effect[] = [
  sameRate(
    'symmetric-dot',
    'symmetric loss, inner product (τ = 1, B = 32)',
    'tau-dot',
    { tau: 1, symmetric: true },
    { tau: 1, symmetric: false },
  ),
  {
    id: 'tau-dot-as-rate',
    text: 'τ, inner product, beyond a rescaled rate: τ = 0.1 at rate η against τ = 1 at 10η (B = 32)',
    grid: 'tau-dot',
    a: { tau: 0.1, symmetric: false },
    b: { tau: 1, symmetric: false },
    rateRatio: 0.1,
  },
  sameRate(
    'linear-head-dot',
    'linear head against none, inner product',
    'head-dot',
    { projection_head: 'linear' },
    { projection_head: 'identity' },
  ),
  sameRate(
    'mlp-head-dot',
    'mlp head against none, inner product',
    'head-dot',
    { projection_head: 'mlp' },
    { projection_head: 'identity' },
  ),
  sameRate(
    'linear-head-cosine',
    'linear head against none, cosine',
    'head-cosine',
    { projection_head: 'linear' },
    { projection_head: 'identity' },
  ),
  sameRate(
    'mlp-head-cosine',
    'mlp head against none, cosine',
    'head-cosine',
    { projection_head: 'mlp' },
    { projection_head: 'identity' },
  ),
  sameRate(
    'tau-cosine',
    'τ, cosine: τ = 0.1 against τ = 1 (B = 32)',
    'batch',
    { pretrain_batch: 32, tau: 0.1 },
    { pretrain_batch: 32, tau: 1 },
  ),
  sameRate(
    'symmetric-cosine',
    'symmetric loss, cosine (τ = 0.5, B = 32)',
    'negatives',
    { negatives: 'cross', symmetric: true },
    { negatives: 'cross', symmetric: false },
  ),
  sameRate(
    'negatives-cosine',
    'negatives `all` against `cross`, cosine (τ = 0.5, B = 32)',
    'negatives',
    { negatives: 'all', symmetric: false },
    { negatives: 'cross', symmetric: false },
  ),
];

/** One effect in one regime at one SNR: the largest paired |a − b| per metric. */
export interface EffectRow {
  effect: Effect;
  regime: Regime;
  snr: number;
  /** (seed, rate) pairs where both cells are done */
  pairs: number;
  largest: Record<EffectMetric, number | null>;
  /** null where no pair was measured */
  acts: boolean | null;
}

/** The grids' cells by grid and regime. */
export type Lookups = (grid: GridName, regime: Regime) => CellLookup | undefined;

const rateOf = (candidates: number[], lr: number) =>
  candidates.find((c) => Math.abs(c - lr) <= 1e-9 * Math.abs(c));

/** Every effect in every regime and SNR, over the reported seeds and every candidate rate. */
export function measureEffects(mode: Mode, lookups: Lookups): EffectRow[] {
  const plan = PLANS[mode];
  return EFFECTS.flatMap((effect) =>
    REGIMES.flatMap((regime) => {
      const lookup = lookups(effect.grid, regime);
      if (!lookup) return [];
      const candidates = plan.lrs[regime][GRIDS.find((g) => g.name === effect.grid)!.similarity];
      return plan.snrs.map((snr): EffectRow => {
        const diffs: Record<EffectMetric, number[]> = {
          pretrain_alignment: [],
          probe_alignment: [],
          linear_probe_error: [],
        };
        let pairs = 0;
        for (const lrB of candidates) {
          const lrA = rateOf(candidates, lrB * effect.rateRatio);
          if (lrA === undefined) continue;
          for (const seed of plan.seeds) {
            const a = lookup(effect.a, snr, lrA, seed);
            const b = lookup(effect.b, snr, lrB, seed);
            if (a?.status !== 'done' || b?.status !== 'done') continue;
            pairs += 1;
            for (const metric of EFFECT_METRICS) {
              const x = metricOf(a, metric);
              const y = metricOf(b, metric);
              if (x !== null && y !== null) diffs[metric].push(Math.abs(x - y));
            }
          }
        }
        const largest = Object.fromEntries(
          EFFECT_METRICS.map((m) => [m, diffs[m].length === 0 ? null : Math.max(...diffs[m])]),
        ) as Record<EffectMetric, number | null>;
        const alignments = [largest.pretrain_alignment, largest.probe_alignment].filter((v) => v !== null);
        return {
          effect,
          regime,
          snr,
          pairs,
          largest,
          acts: alignments.length === 0 ? null : alignments.some((v) => v >= ACTS_AT_LEAST),
        };
      });
    }),
  );
}
