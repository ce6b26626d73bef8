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

/** rho: max over filters r and training samples i of |<w_r - w0_r, xi_i>| / ||xi_i||^2 */
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
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) sq[i] += noise[i * d + k] ** 2;
  for (let r = firstRow; r < firstRow + rows; r++) {
    for (let k = 0; k < d; k++) diff[k] = w[r * d + k] - w0[r * d + k];
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += diff[k] * noise[i * d + k];
      if (!Number.isFinite(s)) return null;
      if (sq[i] > 0) best = Math.max(best, Math.abs(s) / sq[i]);
    }
  }
  return best;
}

/** gamma: max over filters of |<w_r - w0_r, mu>| / ||mu||^2 with mu = ||mu|| e_1; null for mu = 0 */
export function signalLearning(
  w: ArrayLike<number>,
  w0: ArrayLike<number>,
  firstRow: number,
  rows: number,
  d: number,
  signalNorm: number,
): number | null {
  if (!(signalNorm > 0)) return null;
  let best = 0;
  for (let r = firstRow; r < firstRow + rows; r++) {
    best = Math.max(best, Math.abs(w[r * d] - w0[r * d]) / signalNorm);
  }
  return Number.isFinite(best) ? best : null;
}

export function allFinite(values: ArrayLike<number>, start = 0, end = values.length): boolean {
  for (let i = start; i < end; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
