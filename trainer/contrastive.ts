import type { Negatives, ProjectionHead, Similarity } from './params.ts';
import { Rng } from './random.ts';

// The contrastive loss of SimCLR pre-training on a batch of B anchor and B view embeddings (M wide), in
// float64, with its gradient. The head g (identity, linear g = V1 h, or mlp g = V2 relu(V1 h)) maps
// h to k dimensions; the similarity is s_ij = <g_i, g~_j> / tau (dot) or the same between unit vectors
// (cosine, SimCLR's NT-Xent); the loss is the cross-entropy of each anchor picking its own view among
// the B views, -(1/B) sum_i log softmax_j(s_ij)[i], and with `symmetric` also of each view picking its
// anchor, the two averaged (the CLIP form: the same B x B similarities read by rows and by columns).
// With negatives 'all' each anchor also meets the other B - 1 anchors (and, symmetric, each view the
// other views): the 2B - 2 negatives of Chen et al.'s NT-Xent, which with `symmetric` it is exactly.
// Embeddings are stored sample-major (B x M, B x k) so that every inner loop runs over contiguous memory.

/** A head's trainable weights. */
export interface HeadWeights {
  /** k x M (linear, mlp) */
  v1: Float64Array;
  /** k x k (mlp) */
  v2: Float64Array;
}

/** The identity head, which has no weights, for every cell. */
export function weightlessHeads(cells: number): HeadWeights[] {
  return Array.from({ length: cells }, () => ({ v1: new Float64Array(0), v2: new Float64Array(0) }));
}

export interface Head extends HeadWeights {
  kind: ProjectionHead;
  /** representation width */
  M: number;
  /** head output (and hidden) width */
  k: number;
}

export interface LossConfig {
  similarity: Similarity;
  symmetric: boolean;
  tau: number;
  negatives: Negatives;
}

export interface LossGradient {
  /** B x M */
  dh: Float64Array;
  dhv: Float64Array;
  /** summed into, like the head's shapes */
  dv1: Float64Array;
  dv2: Float64Array;
}

// Documented init: linear V1 ~ N(0, 1/M) keeps ||g|| ~ sqrt(k/M) ||h||; mlp V1 ~ N(0, 2/M) (He, for the
// ReLU) and V2 ~ N(0, 1/k).
export function initialHead(seed: number, kind: ProjectionHead, M: number, k: number): Head {
  const rng = new Rng(seed, `head-init:${kind}:M=${M}:k=${k}`);
  const draw = (length: number, variance: number) =>
    Float64Array.from({ length }, () => Math.sqrt(variance) * rng.normal());
  if (kind === 'identity') return { kind, M, k: M, v1: new Float64Array(0), v2: new Float64Array(0) };
  if (kind === 'linear') return { kind, M, k, v1: draw(k * M, 1 / M), v2: new Float64Array(0) };
  return { kind, M, k, v1: draw(k * M, 2 / M), v2: draw(k * k, 1 / k) };
}

/** out (B x rows) = x (B x cols) A^T for A rows x cols */
function timesT(x: Float64Array, B: number, cols: number, A: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(B * rows);
  for (let i = 0; i < B; i++) {
    for (let c = 0; c < rows; c++) {
      let s = 0;
      for (let a = 0; a < cols; a++) s += A[c * cols + a] * x[i * cols + a];
      out[i * rows + c] = s;
    }
  }
  return out;
}

/** out (B x cols) = dy (B x rows) A for A rows x cols; dA += dy^T x */
function backThrough(
  dy: Float64Array,
  x: Float64Array,
  B: number,
  cols: number,
  A: Float64Array,
  rows: number,
  dA: Float64Array,
): Float64Array {
  const out = new Float64Array(B * cols);
  for (let i = 0; i < B; i++) {
    for (let c = 0; c < rows; c++) {
      const g = dy[i * rows + c];
      if (g === 0) continue;
      for (let a = 0; a < cols; a++) {
        out[i * cols + a] += g * A[c * cols + a];
        dA[c * cols + a] += g * x[i * cols + a];
      }
    }
  }
  return out;
}

interface Forward {
  g: Float64Array;
  pre: Float64Array | null;
  hidden: Float64Array | null;
}

function headForward(head: Head, h: Float64Array, B: number): Forward {
  if (head.kind === 'identity') return { g: h, pre: null, hidden: null };
  const pre = timesT(h, B, head.M, head.v1, head.k);
  if (head.kind === 'linear') return { g: pre, pre: null, hidden: null };
  const hidden = pre.map((v) => (v > 0 ? v : 0));
  return { g: timesT(hidden, B, head.k, head.v2, head.k), pre, hidden };
}

function headBackward(
  head: Head,
  fwd: Forward,
  h: Float64Array,
  dg: Float64Array,
  B: number,
  grad: LossGradient,
) {
  if (head.kind === 'identity') return dg;
  if (head.kind === 'linear') return backThrough(dg, h, B, head.M, head.v1, head.k, grad.dv1);
  const dHidden = backThrough(dg, fwd.hidden!, B, head.k, head.v2, head.k, grad.dv2);
  for (let x = 0; x < dHidden.length; x++) if (!(fwd.pre![x] > 0)) dHidden[x] = 0;
  return backThrough(dHidden, h, B, head.M, head.v1, head.k, grad.dv1);
}

// As in PyTorch's normalize: a zero embedding (an mlp head with every unit dead) stays zero, not NaN.
const MIN_NORM = 1e-12;

/** Unit rows for cosine similarity; returns the norms (at least MIN_NORM). */
function normalizeRows(g: Float64Array, B: number, k: number): { u: Float64Array; norms: Float64Array } {
  const u = new Float64Array(B * k);
  const norms = new Float64Array(B);
  for (let i = 0; i < B; i++) {
    let sq = 0;
    for (let c = 0; c < k; c++) sq += g[i * k + c] ** 2;
    norms[i] = Math.max(MIN_NORM, Math.sqrt(sq));
    for (let c = 0; c < k; c++) u[i * k + c] = g[i * k + c] / norms[i];
  }
  return { u, norms };
}

/** d/dg of a function of u = g / ||g||, given its gradient du in u (rows of width k), in place. */
function throughNormalize(
  du: Float64Array,
  u: Float64Array,
  norms: Float64Array,
  B: number,
  k: number,
): void {
  for (let i = 0; i < B; i++) {
    let proj = 0;
    // Below MIN_NORM the norm is a constant, so there is no projection.
    if (norms[i] > MIN_NORM) for (let c = 0; c < k; c++) proj += u[i * k + c] * du[i * k + c];
    for (let c = 0; c < k; c++) du[i * k + c] = (du[i * k + c] - proj * u[i * k + c]) / norms[i];
  }
}

/** The similarities of one side with itself (B x B, S_ii unused) and the loss gradient in them. */
interface SameSide {
  S: Float64Array;
  G: Float64Array;
}

/**
 * One anchor's cross-entropy over its candidates: row i of S (B x B, stride `rowStride`, element stride
 * `colStride`; its own positive at i) and, for negatives 'all', row i of `same` but the self-similarity.
 * Adds weight * (softmax - onehot) / B into G (and same.G); returns the loss term.
 */
function softmaxTerm(
  S: Float64Array,
  B: number,
  i: number,
  rowStride: number,
  colStride: number,
  G: Float64Array,
  same: SameSide | null,
  weight: number,
): number {
  let max = -Infinity;
  for (let j = 0; j < B; j++) max = Math.max(max, S[i * rowStride + j * colStride]);
  if (same) for (let j = 0; j < B; j++) if (j !== i) max = Math.max(max, same.S[i * B + j]);
  let sum = 0;
  for (let j = 0; j < B; j++) sum += Math.exp(S[i * rowStride + j * colStride] - max);
  if (same) for (let j = 0; j < B; j++) if (j !== i) sum += Math.exp(same.S[i * B + j] - max);
  const lse = max + Math.log(sum);
  for (let j = 0; j < B; j++) {
    const at = i * rowStride + j * colStride;
    G[at] += (weight * (Math.exp(S[at] - lse) - (i === j ? 1 : 0))) / B;
  }
  if (same) {
    for (let j = 0; j < B; j++)
      if (j !== i) same.G[i * B + j] += (weight * Math.exp(same.S[i * B + j] - lse)) / B;
  }
  return (weight * (lse - S[i * rowStride + i * colStride])) / B;
}

/** u u^T / tau for B rows of width k, with a zero gradient beside it. */
function sameSide(u: Float64Array, B: number, k: number, tau: number): SameSide {
  const S = new Float64Array(B * B);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < B; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += u[i * k + c] * u[j * k + c];
      S[i * B + j] = s / tau;
    }
  }
  return { S, G: new Float64Array(B * B) };
}

/** du += (G + G^T) u / tau: the gradient through a same-side similarity matrix. */
function backSameSide(side: SameSide, u: Float64Array, du: Float64Array, B: number, k: number, tau: number) {
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < B; j++) {
      const g = (side.G[i * B + j] + side.G[j * B + i]) / tau;
      if (g === 0) continue;
      for (let c = 0; c < k; c++) du[i * k + c] += g * u[j * k + c];
    }
  }
}

/**
 * Loss of one batch: h and hv are B x M (anchors, views). With `grad`, fills dh and dhv and adds the
 * head's gradient into dv1 and dv2.
 */
export function contrastiveLoss(
  h: Float64Array,
  hv: Float64Array,
  B: number,
  head: Head,
  cfg: LossConfig,
  grad?: LossGradient,
): number {
  const { k } = head;
  const fa = headForward(head, h, B);
  const fv = headForward(head, hv, B);
  const cosine = cfg.similarity === 'cosine';
  const na = cosine ? normalizeRows(fa.g, B, k) : { u: fa.g, norms: null };
  const nv = cosine ? normalizeRows(fv.g, B, k) : { u: fv.g, norms: null };
  const S = new Float64Array(B * B);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < B; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += na.u[i * k + c] * nv.u[j * k + c];
      S[i * B + j] = s / cfg.tau;
    }
  }
  const all = cfg.negatives === 'all';
  const anchors = all ? sameSide(na.u, B, k, cfg.tau) : null;
  const views = all && cfg.symmetric ? sameSide(nv.u, B, k, cfg.tau) : null;
  const G = new Float64Array(B * B); // dL/dS
  const weight = cfg.symmetric ? 0.5 : 1;
  let loss = 0;
  for (let i = 0; i < B; i++) loss += softmaxTerm(S, B, i, B, 1, G, anchors, weight);
  if (cfg.symmetric) for (let j = 0; j < B; j++) loss += softmaxTerm(S, B, j, 1, B, G, views, weight);
  if (!grad) return loss;

  const dua = new Float64Array(B * k);
  const duv = new Float64Array(B * k);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < B; j++) {
      const g = G[i * B + j] / cfg.tau;
      if (g === 0) continue;
      for (let c = 0; c < k; c++) {
        dua[i * k + c] += g * nv.u[j * k + c];
        duv[j * k + c] += g * na.u[i * k + c];
      }
    }
  }
  if (anchors) backSameSide(anchors, na.u, dua, B, k, cfg.tau);
  if (views) backSameSide(views, nv.u, duv, B, k, cfg.tau);
  if (cosine) {
    throughNormalize(dua, na.u, na.norms!, B, k);
    throughNormalize(duv, nv.u, nv.norms!, B, k);
  }
  grad.dh.set(headBackward(head, fa, h, dua, B, grad));
  grad.dhv.set(headBackward(head, fv, hv, duv, B, grad));
  return loss;
}

/**
 * Whether the loss is paper-spec 2.2's (identity head, inner product, one-sided, full batch), whatever
 * the views: the fused path then uses the moment expansion of fused-simclr.ts.
 */
export function momentsApply(
  head: ProjectionHead,
  loss: Pick<LossConfig, 'similarity' | 'symmetric' | 'negatives'>,
  fullBatch: boolean,
): boolean {
  return (
    head === 'identity' &&
    loss.similarity === 'dot' &&
    !loss.symmetric &&
    loss.negatives === 'cross' &&
    fullBatch
  );
}

/** One GD step on the head's weights. */
export function stepHead(head: Head, grad: LossGradient, lr: number): void {
  for (let x = 0; x < head.v1.length; x++) head.v1[x] -= lr * grad.dv1[x];
  for (let x = 0; x < head.v2.length; x++) head.v2[x] -= lr * grad.dv2[x];
}
