import { contrastiveLoss, type Head, type LossConfig } from '../../trainer/contrastive.ts';
import { logistic64 } from '../../trainer/metrics.ts';

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

// SimCLR pre-training (paper-spec 2.2) from the formulas: h_r(x) = sum_p <w_r, x^(p)> for M filters,
// then the head, similarity and loss of contrastive.ts. The gradient in W is the chain rule through the
// explicit patches.

export interface PretrainPair64 {
  anchor: Float64Array[];
  view: Float64Array[];
}

export interface PretrainNet64 {
  M: number;
  d: number;
  /** M x d */
  w: Float64Array;
  head: Head;
}

function embed64(net: PretrainNet64, patchesOf: Float64Array[][]): Float64Array {
  const { M, d, w } = net;
  const h = new Float64Array(patchesOf.length * M);
  patchesOf.forEach((patches, i) => {
    for (let r = 0; r < M; r++) for (const patch of patches) h[i * M + r] += dot(w, r, d, patch);
  });
  return h;
}

export function pretrainLoss64(net: PretrainNet64, pairs: PretrainPair64[], cfg: LossConfig): number {
  const h = embed64(
    net,
    pairs.map((p) => p.anchor),
  );
  const hv = embed64(
    net,
    pairs.map((p) => p.view),
  );
  return contrastiveLoss(h, hv, pairs.length, net.head, cfg);
}

export interface PretrainGradient64 {
  w: Float64Array;
  v1: Float64Array;
  v2: Float64Array;
}

export function pretrainGradient64(
  net: PretrainNet64,
  pairs: PretrainPair64[],
  cfg: LossConfig,
): PretrainGradient64 {
  const { M, d } = net;
  const B = pairs.length;
  const anchors = pairs.map((p) => p.anchor);
  const views = pairs.map((p) => p.view);
  const grad = {
    dh: new Float64Array(B * M),
    dhv: new Float64Array(B * M),
    dv1: new Float64Array(net.head.v1.length),
    dv2: new Float64Array(net.head.v2.length),
  };
  contrastiveLoss(embed64(net, anchors), embed64(net, views), B, net.head, cfg, grad);
  const w = new Float64Array(M * d);
  for (let i = 0; i < B; i++) {
    for (let r = 0; r < M; r++) {
      for (const [patches, dEmb] of [
        [anchors[i], grad.dh],
        [views[i], grad.dhv],
      ] as const) {
        const coef = dEmb[i * M + r];
        for (const patch of patches) for (let k = 0; k < d; k++) w[r * d + k] += coef * patch[k];
      }
    }
  }
  return { w, v1: grad.dv1, v2: grad.dv2 };
}
