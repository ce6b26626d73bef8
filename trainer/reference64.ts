// The loss and analytic gradient of paper-spec 3.1 in plain float64 TypeScript, written from the
// formulas with explicit patches (no rotation or signal shortcuts). It is the yardstick for the
// finite-difference check and for the tfjs gradient; it is meant for small d, not for speed.

export interface Sample64 {
  /** P patches of dimension d */
  patches: Float64Array[];
  y: number;
}

export interface Net64 {
  m: number;
  d: number;
  q: number;
  /** 2m x d, rows 0..m-1 are the +1 branch */
  w: Float64Array;
}

const relu = (z: number) => (z > 0 ? z : 0);
const act = (z: number, q: number) => relu(z) ** q;
const actPrime = (z: number, q: number) => (z > 0 ? q * z ** (q - 1) : 0);

function dot(w: Float64Array, row: number, d: number, x: Float64Array): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += w[row * d + k] * x[k];
  return s;
}

export function output64(net: Net64, x: Float64Array[]): number {
  const { m, d, q, w } = net;
  let f = 0;
  for (let row = 0; row < 2 * m; row++) {
    const j = row < m ? 1 : -1;
    for (const patch of x) f += (j / m) * act(dot(w, row, d, patch), q);
  }
  return f;
}

/** log(1 + e^-z), stable for large |z| */
export function logistic64(z: number): number {
  return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
}

export function loss64(net: Net64, data: Sample64[]): number {
  let s = 0;
  for (const { patches, y } of data) s += logistic64(y * output64(net, patches));
  return s / data.length;
}

/** grad_{w_{j,r}} L = (1/(n m)) sum_i sum_p l'(y_i f_i) y_i j sigma'(<w_{j,r}, x_i^(p)>) x_i^(p) */
export function gradient64(net: Net64, data: Sample64[]): Float64Array {
  const { m, d, q, w } = net;
  const grad = new Float64Array(w.length);
  const n = data.length;
  for (const { patches, y } of data) {
    const lPrime = -1 / (1 + Math.exp(y * output64(net, patches)));
    for (let row = 0; row < 2 * m; row++) {
      const j = row < m ? 1 : -1;
      for (const patch of patches) {
        const coef = (lPrime * y * j * actPrime(dot(w, row, d, patch), q)) / (n * m);
        for (let k = 0; k < d; k++) grad[row * d + k] += coef * patch[k];
      }
    }
  }
  return grad;
}
