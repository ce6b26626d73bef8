// The js SimCLR pre-trainers' encoder update: a GD step on every row, with the optional renormalisation
// that keeps pre-training in the power-method regime (paper-spec 2.2).

export interface EncoderRows {
  /** rows x d, updated in place */
  w: Float64Array;
  rows: number;
  d: number;
  lr: number;
  /** renormalise every row to this norm after the step, or leave the rows as GD moved them */
  rowNorm: number | null;
}

/**
 * w_r -= lr g_r / divisor for every row r, with g in `grad` from `gradAt` (rows x d). The divisor is a
 * factor the caller's gradient still lacks (1/tau for the moment expansion); it is divided after the
 * product, so that divisor 1 rounds exactly like lr g.
 */
export function stepEncoderRows(enc: EncoderRows, grad: Float32Array, gradAt: number, divisor: number): void {
  const { w, rows, d, lr, rowNorm } = enc;
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let sq = 0;
    for (let k = 0; k < d; k++) {
      const v = w[o + k] - (lr * grad[gradAt + o + k]) / divisor;
      w[o + k] = v;
      sq += v * v;
    }
    if (rowNorm === null) continue;
    const scale = rowNorm / Math.sqrt(sq);
    for (let k = 0; k < d; k++) w[o + k] *= scale;
  }
}
