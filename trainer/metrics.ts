// Evaluation on the host in float64 from what the tfjs program returns (outputs f and final filters).
// Each function returns null when its inputs are not finite: a diverged cell has no such metric.

/** log(1 + e^-z), stable for large |z| */
export function logistic64(z: number): number {
  return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
}

export function meanLogisticLoss(f: Float32Array, offset: number, y: Float64Array): number | null {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += logistic64(y[i] * f[offset + i]);
  const mean = s / y.length;
  return Number.isFinite(mean) ? mean : null;
}

/** P(y != sign f); f = 0 counts as an error. */
export function testError(f: Float32Array, offset: number, y: Float64Array): number | null {
  let wrong = 0;
  for (let i = 0; i < y.length; i++) {
    const v = f[offset + i];
    if (!Number.isFinite(v)) return null;
    if (y[i] * v <= 0) wrong++;
  }
  return wrong / y.length;
}

/** mean over `rows` filters starting at `firstRow` of |cos(w, e_1)| (mu = ||mu|| e_1) */
export function signalAlignment(
  w: ArrayLike<number>,
  firstRow: number,
  rows: number,
  d: number,
): number | null {
  let s = 0;
  for (let r = firstRow; r < firstRow + rows; r++) {
    let sq = 0;
    for (let k = 0; k < d; k++) sq += w[r * d + k] ** 2;
    s += sq > 0 ? Math.abs(w[r * d]) / Math.sqrt(sq) : 0;
  }
  const mean = s / rows;
  return Number.isFinite(mean) ? mean : null;
}

// Paper-spec 3.1 decomposes a trained filter as
//   w_{j,r} = w0_{j,r} + j gamma_{j,r} mu/||mu||^2 + sum_i rho_{j,r,i} xi_i/||xi_i||^2.
// The noise is orthogonal to mu, so <w - w0, mu> = j gamma exactly, and <w - w0, xi_i> = rho_i plus the
// cross terms sum_{k != i} rho_k <xi_k, xi_i>/||xi_k||^2 (each of relative size about 1/sqrt(d)).
// No division by ||mu||^2 or ||xi_i||^2: that would rescale gamma by 1/(SNR^2 d) and rho by 1/d and make
// "benign means max gamma >> max |rho|" unreadable.

/** rho: max over filters r and training samples i of |<w_r - w0_r, xi_i>| */
export function noiseMemorization(
  w: ArrayLike<number>,
  w0: ArrayLike<number>,
  firstRow: number,
  rows: number,
  d: number,
  noise: Float64Array,
  n: number,
): number | null {
  let best = 0;
  const diff = new Float64Array(d);
  for (let r = firstRow; r < firstRow + rows; r++) {
    for (let k = 0; k < d; k++) diff[k] = w[r * d + k] - w0[r * d + k];
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += diff[k] * noise[i * d + k];
      if (!Number.isFinite(s)) return null;
      best = Math.max(best, Math.abs(s));
    }
  }
  return best;
}

/**
 * gamma: max over all 2m filters (rows firstRow.. of the cell, the first half the +1 branch) of
 * gamma_{j,r} = j <w_{j,r} - w0_{j,r}, mu>, with mu = ||mu|| e_1; null for mu = 0, where the
 * decomposition has no signal term. Signed as in the paper: a filter that learned the other class's
 * signal has gamma < 0 and is no signal learning.
 */
export function signalLearning(
  w: ArrayLike<number>,
  w0: ArrayLike<number>,
  firstRow: number,
  rows: number,
  d: number,
  signalNorm: number,
): number | null {
  if (!(signalNorm > 0)) return null;
  let best = -Infinity;
  for (let r = firstRow; r < firstRow + rows; r++) {
    const j = r - firstRow < rows / 2 ? 1 : -1;
    best = Math.max(best, j * (w[r * d] - w0[r * d]) * signalNorm);
  }
  return Number.isFinite(best) ? best : null;
}

// Directions of the row space whose singular value is below this share of the largest are not counted:
// a probe would need weights that much larger to read them, and in float32 rows that have nearly collapsed
// onto one direction they are rounding, not signal (they differed between backends by 1e-2 in probe
// alignment, where everything else agreed to 1e-6).
export const PROBE_RANK_TOLERANCE = 1e-3;

/**
 * ||P_W mu|| / ||mu|| for mu along e_1, P_W the orthogonal projection onto the span of the rows (to the
 * rank tolerance above): the share of the signal a linear probe on these features can use. Unlike
 * mean |cos|, filters that all collapse onto one direction score no better than filters that span mu
 * between them. From the eigenvectors u_k of the Gram matrix W W^T (eigenvalues s_k^2), the right
 * singular vectors are W^T u_k / s_k, so ||P e_1||^2 = sum_k (u_k . W[:, 0])^2 / s_k^2. Null for mu = 0.
 */
export function probeAlignment(
  w: ArrayLike<number>,
  firstRow: number,
  rows: number,
  d: number,
  signalNorm: number,
): number | null {
  if (!(signalNorm > 0)) return null;
  const gram = new Float64Array(rows * rows);
  for (let a = 0; a < rows; a++) {
    for (let b = a; b < rows; b++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += w[(firstRow + a) * d + k] * w[(firstRow + b) * d + k];
      gram[a * rows + b] = s;
      gram[b * rows + a] = s;
    }
  }
  if (!gram.every(Number.isFinite)) return null;
  const { values, vectors } = symmetricEigen(gram, rows);
  const largest = Math.max(0, ...values);
  if (!(largest > 0)) return 0;
  let sq = 0;
  for (let k = 0; k < rows; k++) {
    if (!(values[k] > PROBE_RANK_TOLERANCE ** 2 * largest)) continue;
    let c = 0;
    for (let r = 0; r < rows; r++) c += vectors[r * rows + k] * w[(firstRow + r) * d];
    sq += (c * c) / values[k];
  }
  return Math.sqrt(Math.min(1, sq));
}

/** Eigenvalues and eigenvectors (columns of `vectors`) of a symmetric n x n matrix, by cyclic Jacobi. */
export function symmetricEigen(matrix: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i] ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    }
    if (off <= 1e-30 * diag) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Array.from({ length: n }, (_, i) => a[i * n + i]), vectors: v };
}

/** ||V - V0||_F / ||V0||_F over all of a head's weights; null without weights (identity head). */
export function headChange(
  initial: { v1: Float64Array; v2: Float64Array },
  final: { v1: Float64Array; v2: Float64Array },
): number | null {
  let moved = 0;
  let base = 0;
  for (const key of ['v1', 'v2'] as const) {
    for (let x = 0; x < initial[key].length; x++) {
      moved += (final[key][x] - initial[key][x]) ** 2;
      base += initial[key][x] ** 2;
    }
  }
  if (!(base > 0)) return null;
  const change = Math.sqrt(moved / base);
  return Number.isFinite(change) ? change : null;
}

export function allFinite(values: ArrayLike<number>, start = 0, end = values.length): boolean {
  for (let i = start; i < end; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
