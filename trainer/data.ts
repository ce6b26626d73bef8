import { Rng } from './random.ts';

// The data model of paper-spec 1.1-1.3 with the rotation shortcut: mu = ||mu|| e_1, and the noise patch
// is N(0, sigma_p^2 I) with its first coordinate zeroed (exactly the Gaussian projected off mu). A
// sample is stored as its label and noise patch only; the signal patch y*mu is implied. Nothing here
// depends on the SNR, so every SNR of one (n, seed) sees the same noise and labels (common random
// numbers), and a set of n samples is a prefix of the set of 2n.

export interface LabeledSet {
  n: number;
  d: number;
  /** label carried by the signal patch */
  yTrue: Float64Array;
  /** observed label: yTrue flipped with probability p (paper-spec 1.2) */
  yObs: Float64Array;
  /** n x d row-major noise patches, column 0 is 0 */
  noise: Float64Array;
}

export interface UnlabeledSet {
  n: number;
  d: number;
  y: Float64Array;
  /** n x d noise of the sample itself */
  noise: Float64Array;
  /** n x d fresh noise of its augmented view (same signal, paper-spec 1.3) */
  viewNoise: Float64Array;
}

// Each purpose draws from its own stream: the validation set is independent of the test set.
export type LabeledPurpose = 'train' | 'val' | 'test';

export function signalNorm(snr: number, sigmaP: number, d: number): number {
  return snr * sigmaP * Math.sqrt(d);
}

function fillNoise(rng: Rng, out: Float64Array, row: number, d: number, sigmaP: number): void {
  const base = row * d;
  out[base] = 0;
  for (let k = 1; k < d; k++) out[base + k] = sigmaP * rng.normal();
}

export function labeledSet(
  seed: number,
  purpose: LabeledPurpose,
  n: number,
  d: number,
  sigmaP: number,
  p: number,
): LabeledSet {
  const rng = new Rng(seed, `labeled:${purpose}:d=${d}`);
  const yTrue = new Float64Array(n);
  const yObs = new Float64Array(n);
  const noise = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    yTrue[i] = rng.sign();
    // Always drawn, so that the noise stream does not depend on p.
    const flip = rng.uniform() < p;
    yObs[i] = flip ? -yTrue[i] : yTrue[i];
    fillNoise(rng, noise, i, d, sigmaP);
  }
  return { n, d, yTrue, yObs, noise };
}

export function unlabeledSet(seed: number, n: number, d: number, sigmaP: number): UnlabeledSet {
  const rng = new Rng(seed, `unlabeled:d=${d}`);
  const y = new Float64Array(n);
  const noise = new Float64Array(n * d);
  const viewNoise = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    y[i] = rng.sign();
    fillNoise(rng, noise, i, d, sigmaP);
    fillNoise(rng, viewNoise, i, d, sigmaP);
  }
  return { n, d, y, noise, viewNoise };
}

/** 2m x d Gaussian filters, N(0, sigma0^2) entries (paper-spec 2.1); rows 0..m-1 are the +1 branch. */
export function initialFilters(seed: number, m: number, d: number, sigma0: number): Float64Array {
  const rng = new Rng(seed, `init:m=${m}:d=${d}`);
  const w = new Float64Array(2 * m * d);
  for (let k = 0; k < w.length; k++) w[k] = sigma0 * rng.normal();
  return w;
}

/** rows x d Gaussian filters, each row scaled to exactly `norm` (SimCLR pre-training init, spec 2.2). */
export function pretrainFilters(seed: number, rows: number, d: number, norm: number): Float64Array {
  const rng = new Rng(seed, `pretrain-init:rows=${rows}:d=${d}`);
  const w = new Float64Array(rows * d);
  for (let k = 0; k < w.length; k++) w[k] = rng.normal();
  for (let r = 0; r < rows; r++) scaleRow(w, r, d, norm);
  return w;
}

export function scaleRow(w: Float64Array | Float32Array, row: number, d: number, norm: number): void {
  let sq = 0;
  for (let k = 0; k < d; k++) sq += w[row * d + k] ** 2;
  const f = sq > 0 ? norm / Math.sqrt(sq) : 0;
  for (let k = 0; k < d; k++) w[row * d + k] *= f;
}

/** The random split of pre-trained filters into the two classes (paper-spec 2.3): a permutation of rows. */
export function filterSplit(seed: number, rows: number): number[] {
  return new Rng(seed, `split:rows=${rows}`).permutation(rows);
}
