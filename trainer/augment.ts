import type { UnlabeledSet } from './data.ts';
import { Rng } from './random.ts';

// The two views of each unlabeled sample that SimCLR pre-training compares. z = x^(1) + x^(2) is all the
// linear encoder sees, and with mu = ||mu|| e_1 a view is (signal coefficient c, noise patch): z = c ||mu||
// e_1 + noise. The anchor is the sample itself; the other view keeps the fraction `keep` of its noise,
//   noise~ = keep * xi + sqrt(1 - keep^2) * xi'      (xi' fresh; keep = 0 is paper-spec 1.3's oracle view)
// and a mask, drawn independently per view and sample, zeroes each coordinate of both patches with
// probability `mask` (the signal too when it hits coordinate 0). Views are drawn once and stay fixed.
// Nothing depends on ||mu||, so cells that differ only in the SNR share their views.
// With mu along a seeded random unit vector u (`signal_direction: random`) the mask acts in the data's
// coordinates, where it removes part of the signal, never all or none of it. Everything else is
// rotation-invariant (isotropic init, noise projected off mu), so the trainer keeps working in mu's
// frame, e_1 = H u for the reflection H below, and only a masked view is built in the data's frame and
// reflected back. Its signal part is then no longer along e_1: the whole view goes into its noise
// vector (signal coefficient 0), and it depends on ||mu||, so such cells share views only at one SNR.

export interface PretrainViews {
  n: number;
  d: number;
  /** n x d noise patches of the anchors, column 0 is 0 (but for masked views of a random direction) */
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
  /** mu along a random unit vector (only a mask can tell), with ||mu|| */
  direction?: { u: Float64Array; signalNorm: number };
}

/** A seeded uniformly random unit vector of R^d: the direction of mu for `signal_direction: random`. */
export function randomDirection(seed: number, d: number): Float64Array {
  const rng = new Rng(seed, `signal-direction:d=${d}`);
  const u = Float64Array.from({ length: d }, () => rng.normal());
  const norm = Math.sqrt(u.reduce((s, x) => s + x * x, 0));
  return u.map((x) => x / norm);
}

/** In place: H x = x - 2 v <v, x> / <v, v> with v = e_1 - u, so that H e_1 = u, H u = e_1, H H = I. */
export function reflect(u: Float64Array, x: Float64Array): void {
  let vv = 0;
  let vx = 0;
  for (let k = 0; k < u.length; k++) {
    const v = (k === 0 ? 1 : 0) - u[k];
    vv += v * v;
    vx += v * x[k];
  }
  if (vv === 0) return;
  const f = (2 * vx) / vv;
  for (let k = 0; k < u.length; k++) x[k] -= f * ((k === 0 ? 1 : 0) - u[k]);
}

/** maskRows for mu = ||mu|| u: the sample y ||mu|| u + H xi is masked in the data's frame (same draws). */
function maskRowsAlong(
  rng: Rng,
  noise: Float64Array,
  signal: Float64Array,
  n: number,
  d: number,
  rate: number,
  direction: { u: Float64Array; signalNorm: number },
): void {
  const { u, signalNorm } = direction;
  const x = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    x.set(noise.subarray(i * d, (i + 1) * d));
    reflect(u, x);
    for (let k = 0; k < d; k++) x[k] += signal[i] * signalNorm * u[k];
    for (let k = 0; k < d; k++) if (rng.uniform() < rate) x[k] = 0;
    reflect(u, x);
    noise.set(x, i * d);
    signal[i] = 0;
  }
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
  if (aug.direction) {
    maskRowsAlong(rng, views.anchorNoise, views.anchorSignal, n, d, aug.mask, aug.direction);
    maskRowsAlong(rng, views.viewNoise, views.viewSignal, n, d, aug.mask, aug.direction);
  } else {
    maskRows(rng, views.anchorNoise, views.anchorSignal, n, d, aug.mask);
    maskRows(rng, views.viewNoise, views.viewSignal, n, d, aug.mask);
  }
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
