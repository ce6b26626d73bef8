import type { UnlabeledSet } from './data.ts';
import { Rng } from './random.ts';

// The two views of each unlabeled sample that SimCLR pre-training compares. z = x^(1) + x^(2) is all the
// linear encoder sees, and with mu = ||mu|| e_1 a view is (signal coefficient c, noise patch): z = c ||mu||
// e_1 + noise. The anchor is the sample itself; the other view keeps the fraction `keep` of its noise,
//   noise~ = keep * xi + sqrt(1 - keep^2) * xi'      (xi' fresh; keep = 0 is paper-spec 1.3's oracle view)
// and a mask, drawn independently per view and sample, zeroes each coordinate of both patches with
// probability `mask` (the signal too when it hits coordinate 0). Views are drawn once and stay fixed.
// Nothing depends on ||mu||, so cells that differ only in the SNR share their views.

export interface PretrainViews {
  n: number;
  d: number;
  /** n x d noise patches of the anchors, column 0 is 0 */
  anchorNoise: Float64Array;
  /** y_i, or 0 where the anchor's mask removed the signal */
  anchorSignal: Float64Array;
  viewNoise: Float64Array;
  viewSignal: Float64Array;
}

export interface Augmentation {
  seed: number;
  keep: number;
  mask: number;
}

function maskRows(
  rng: Rng,
  noise: Float64Array,
  signal: Float64Array,
  n: number,
  d: number,
  rate: number,
): void {
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      if (rng.uniform() >= rate) continue;
      if (k === 0) signal[i] = 0;
      else noise[i * d + k] = 0;
    }
  }
}

export function pretrainViews(set: UnlabeledSet, aug: Augmentation): PretrainViews {
  const { n, d } = set;
  // The defaults hand out the set's own arrays: today's views, bit for bit.
  let viewNoise = set.viewNoise;
  if (aug.keep > 0) {
    const fresh = Math.sqrt(1 - aug.keep * aug.keep);
    viewNoise = Float64Array.from(set.viewNoise, (v, k) => aug.keep * set.noise[k] + fresh * v);
  }
  const views = {
    n,
    d,
    anchorNoise: set.noise,
    anchorSignal: set.y,
    viewNoise,
    viewSignal: set.y,
  };
  if (aug.mask === 0) return views;
  const rng = new Rng(aug.seed, `augment-mask:n=${n}:d=${d}`);
  views.anchorNoise = Float64Array.from(set.noise);
  views.anchorSignal = Float64Array.from(set.y);
  views.viewNoise = Float64Array.from(viewNoise);
  views.viewSignal = Float64Array.from(set.y);
  maskRows(rng, views.anchorNoise, views.anchorSignal, n, d, aug.mask);
  maskRows(rng, views.viewNoise, views.viewSignal, n, d, aug.mask);
  return views;
}

/**
 * The anchors of every mini-batch step, steps x batch indices (each step a fresh draw without
 * replacement, seeded), or null for full-batch pre-training (every sample, in order, every step).
 */
export function batchSchedule(seed: number, n: number, batch: number, steps: number): Int32Array | null {
  if (batch >= n) return null;
  const rng = new Rng(seed, `pretrain-batch:n=${n}:b=${batch}`);
  const out = new Int32Array(steps * batch);
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let t = 0; t < steps; t++) {
    // Partial Fisher-Yates: the first `batch` entries of a fresh shuffle.
    for (let i = 0; i < batch; i++) {
      const j = i + Math.floor(rng.uniform() * (n - i));
      const swap = pool[i];
      pool[i] = pool[j];
      pool[j] = swap;
      out[t * batch + i] = pool[i];
    }
  }
  return out;
}
