// Dense linear-algebra kernels for the plain-TypeScript CPU path. V8 does not vectorise, so speed comes
// from doing less memory traffic per multiply-add: an output row is updated with eight input rows at a
// time (one load and store of the output per eight products), and zero coefficients are skipped (the
// ReLU makes about half of the GD coefficients zero). Every call site passes the same array types
// (float32 matrices, float64 coefficients): mixing them would make V8 compile slower polymorphic code.

let idx = new Int32Array(256);
let val = new Float64Array(256);

/** out[o .. o+cols) += sum_i coef[c+i] * M[i*cols .. (i+1)*cols) for i < count. */
export function addCombination(
  out: Float32Array,
  o: number,
  cols: number,
  coef: Float64Array,
  c: number,
  count: number,
  M: Float32Array,
): void {
  if (idx.length < count) {
    idx = new Int32Array(count);
    val = new Float64Array(count);
  }
  let nnz = 0;
  for (let i = 0; i < count; i++) {
    const v = coef[c + i];
    if (v !== 0) {
      idx[nnz] = i * cols;
      val[nnz++] = v;
    }
  }
  let t = 0;
  for (; t + 8 <= nnz; t += 8) {
    const g0 = idx[t],
      g1 = idx[t + 1],
      g2 = idx[t + 2],
      g3 = idx[t + 3];
    const g4 = idx[t + 4],
      g5 = idx[t + 5],
      g6 = idx[t + 6],
      g7 = idx[t + 7];
    const c0 = val[t],
      c1 = val[t + 1],
      c2 = val[t + 2],
      c3 = val[t + 3];
    const c4 = val[t + 4],
      c5 = val[t + 5],
      c6 = val[t + 6],
      c7 = val[t + 7];
    for (let j = 0; j < cols; j++) {
      out[o + j] +=
        c0 * M[g0 + j] +
        c1 * M[g1 + j] +
        (c2 * M[g2 + j] + c3 * M[g3 + j]) +
        (c4 * M[g4 + j] + c5 * M[g5 + j] + (c6 * M[g6 + j] + c7 * M[g7 + j]));
    }
  }
  for (; t + 4 <= nnz; t += 4) {
    const g0 = idx[t],
      g1 = idx[t + 1],
      g2 = idx[t + 2],
      g3 = idx[t + 3];
    const c0 = val[t],
      c1 = val[t + 1],
      c2 = val[t + 2],
      c3 = val[t + 3];
    for (let j = 0; j < cols; j++)
      out[o + j] += c0 * M[g0 + j] + c1 * M[g1 + j] + (c2 * M[g2 + j] + c3 * M[g3 + j]);
  }
  for (; t < nnz; t++) {
    const g0 = idx[t];
    const c0 = val[t];
    for (let j = 0; j < cols; j++) out[o + j] += c0 * M[g0 + j];
  }
}

/** out (rows x cols) = A (rows x inner) B (inner x cols), all row-major. */
export function matMul(
  A: ArrayLike<number>,
  rows: number,
  inner: number,
  B: Float32Array,
  cols: number,
): Float32Array {
  const out = new Float32Array(rows * cols);
  const a = Float64Array.from(A);
  for (let r = 0; r < rows; r++) addCombination(out, r * cols, cols, a, r * inner, inner, B);
  return out;
}

/** The transpose of a rows x cols row-major matrix. */
export function transpose(A: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = A[i * cols + j];
  return out;
}
