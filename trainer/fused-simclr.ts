import { runInChunks } from './chunked-steps.ts';
import { stepEncoderRows } from './encoder-step.ts';
import { pretrainFusedGeneral } from './fused-simclr-general.ts';
import { transpose } from './kernels.ts';
import { momentsApply, weightlessHeads } from './contrastive.ts';
import type { PretrainGroup, PretrainProgress, Pretrained } from './simclr.ts';
import { SimdArena } from './simd.ts';
import { DivergenceWatch } from './pretrain-divergence.ts';

// SimCLR pre-training of simclr.ts in plain TypeScript for CPU hosts, without the n x n similarity
// matrix. With rows renormalised to a tiny norm, every similarity s_ij = <h_i, hv_j> / tau is tiny, so
// exp(s) = 1 + s + s^2/2 up to s^3/6: below float32 rounding once |s| <= 0.01, which is checked every
// step (Cauchy-Schwarz on the largest ||h_i||, ||hv_j||); a step that fails the check is computed
// exactly. With the expansion, the softmax sums over j become moments of the M-dimensional embeddings:
//   Z_i = sum_j e^{s_ij}     = n + <h_i, V1>/tau + h_i' C h_i / (2 tau^2)
//   N_i = sum_j e^{s_ij} hv_j = V1 + C h_i / tau + T(h_i, h_i) / (2 tau^2)
// with V1 = sum_j hv_j, C = sum_j hv_j hv_j', T = sum_j hv_j (x) hv_j (x) hv_j, and likewise for the
// column sums with h_i / Z_i in place of hv_j. That is O(n M^3 / 2) work per cell and step instead of
// O(n^2 M) plus n^2 exponentials (16x fewer operations at n = 1600, M = 20). The symmetric third
// moments are stored over index pairs b <= c (P = M(M+1)/2 columns).

const TAYLOR_LIMIT = 0.01;

interface Pairs {
  P: number;
  b: Int32Array;
  c: Int32Array;
  /** 2 for b < c, 1 for b = c: the pair's weight in a full contraction */
  mult: Float64Array;
}

function pairs(M: number): Pairs {
  const P = (M * (M + 1)) / 2;
  const out = { P, b: new Int32Array(P), c: new Int32Array(P), mult: new Float64Array(P) };
  let p = 0;
  for (let b = 0; b < M; b++) {
    for (let c = b; c < M; c++, p++) {
      out.b[p] = b;
      out.c[p] = c;
      out.mult[p] = b === c ? 1 : 2;
    }
  }
  return out;
}

export async function pretrainFused(group: PretrainGroup, progress: PretrainProgress): Promise<Pretrained> {
  if (!momentsApply(group.head.kind, group.loss, group.batches === null)) {
    return pretrainFusedGeneral(group, progress);
  }
  const { views, signalNorms, rows: M, steps, lr, rowNorm } = group;
  const { tau } = group.loss;
  const B = signalNorms.length;
  const { n, d } = views;
  const sa = views.anchorSignal;
  const sv = views.viewSignal;
  const RA = B * M;
  const pr = pairs(M);
  const P = pr.P;

  const arena = new SimdArena(4 * n * d + 2 * RA * n + RA * d + 4 * n * P + 2 * M * P + 3 * M * n + 64);
  const xiTAt = arena.alloc(d * n);
  const xvTAt = arena.alloc(d * n);
  const bothAt = arena.alloc(2 * n * d);
  const hAt = arena.alloc(RA * n);
  const hvAt = arena.alloc(RA * n);
  const gradAt = arena.alloc(RA * d);
  const kvTAt = arena.alloc(P * n); // (hv_jb hv_jc) as P x n
  const kvAt = arena.alloc(n * P); // and as n x P
  const lTAt = arena.alloc(P * n); // (h_ib h_ic)
  const lAt = arena.alloc(n * P);
  const tAt = arena.alloc(M * P);
  const rAt = arena.alloc(M * n);
  const chAt = arena.alloc(M * n);
  const f = arena.f32;
  f.set(transpose(views.anchorNoise, n, d), xiTAt);
  f.set(transpose(views.viewNoise, n, d), xvTAt);
  f.set(views.anchorNoise, bothAt);
  f.set(views.viewNoise, bothAt + n * d);

  const w = new Float64Array(RA * d);
  for (let b = 0; b < B; b++) w.set(group.init, b * M * d);
  const encoder = { w, rows: RA, d, lr, rowNorm: group.renormalize ? rowNorm : null };
  const dBoth = new Float64Array(RA * 2 * n);
  const coefP = new Float64Array(P);
  const v1 = new Float64Array(M);
  const cMat = new Float64Array(M * M);
  const zInv = new Float64Array(n);
  const hScaled = new Float64Array(M * n);
  const hRow = new Float64Array(M * n);
  const heads = weightlessHeads(B);
  const watch = new DivergenceWatch(B, M * d);

  /** Fill the pair products of the M x n embeddings at `at` (M rows of n) into (P x n) and (n x P). */
  function pairProducts(at: number, tAtOut: number, nAtOut: number): void {
    for (let p = 0; p < P; p++) arena.multiply(tAtOut + p * n, at + pr.b[p] * n, at + pr.c[p] * n, n);
    arena.transpose(tAtOut, P, n, nAtOut);
  }

  /** C x for every column x of the M x n embeddings at `at`, into `chAt`. */
  function timesC(at: number): void {
    f.fill(0, chAt, chAt + M * n);
    for (let a = 0; a < M; a++) arena.addCombination(chAt + a * n, n, cMat, a * M, M, at);
  }

  /** rows x P moments T[a, p] = sum_j weight_j e[a, j] (pair p of column j), into `tAt`. */
  function thirdMoment(weighted: Float64Array, pairsNP: number): void {
    f.fill(0, tAt, tAt + M * P);
    for (let a = 0; a < M; a++) arena.addCombination(tAt + a * P, P, weighted, a * n, n, pairsNP);
  }

  /** R[:, j] = T(x_j, x_j) for the pair products of x at `pairsPN` (P x n), into `rAt`. */
  function contract(pairsPN: number): void {
    f.fill(0, rAt, rAt + M * n);
    for (let a = 0; a < M; a++) {
      for (let p = 0; p < P; p++) coefP[p] = f[tAt + a * P + p] * pr.mult[p];
      arena.addCombination(rAt + a * n, n, coefP, 0, P, pairsPN);
    }
  }

  /** C = sum_j x_j x_j' from the pair products (P x n), as a full M x M matrix. */
  function secondMoment(pairsPN: number, weights: Float64Array | null): void {
    for (let p = 0; p < P; p++) {
      let s = 0;
      const o = pairsPN + p * n;
      if (weights) for (let j = 0; j < n; j++) s += weights[j] * f[o + j];
      else for (let j = 0; j < n; j++) s += f[o + j];
      cMat[pr.b[p] * M + pr.c[p]] = s;
      cMat[pr.c[p] * M + pr.b[p]] = s;
    }
  }

  function cellTaylor(b: number): void {
    const h = hAt + b * M * n;
    const hv = hvAt + b * M * n;
    const dh = b * M * 2 * n; // dBoth rows of this cell: [dH | dHv]
    // Row side: softmax over j of s_ij.
    pairProducts(hv, kvTAt, kvAt);
    pairProducts(h, lTAt, lAt);
    for (let a = 0; a < M; a++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += f[hv + a * n + j];
      v1[a] = s;
      for (let j = 0; j < n; j++) hRow[a * n + j] = f[hv + a * n + j];
    }
    secondMoment(kvTAt, null);
    thirdMoment(hRow, kvAt);
    contract(lTAt);
    timesC(h);
    for (let i = 0; i < n; i++) {
      let hv1 = 0;
      let hch = 0;
      for (let a = 0; a < M; a++) {
        hv1 += f[h + a * n + i] * v1[a];
        hch += f[h + a * n + i] * f[chAt + a * n + i];
      }
      const z = n + hv1 / tau + hch / (2 * tau * tau);
      zInv[i] = 1 / z;
      for (let a = 0; a < M; a++) {
        const num = v1[a] + f[chAt + a * n + i] / tau + f[rAt + a * n + i] / (2 * tau * tau);
        dBoth[dh + a * 2 * n + i] = (num / z - f[hv + a * n + i]) / n;
      }
    }
    // Column side: sum_i P_ij h_i with P_ij = e^{s_ij} / Z_i.
    for (let a = 0; a < M; a++) {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const v = f[h + a * n + i] * zInv[i];
        hScaled[a * n + i] = v;
        s += v;
      }
      v1[a] = s;
    }
    secondMoment(lTAt, zInv);
    thirdMoment(hScaled, lAt);
    contract(kvTAt);
    timesC(hv);
    for (let j = 0; j < n; j++) {
      for (let a = 0; a < M; a++) {
        const num = v1[a] + f[chAt + a * n + j] / tau + f[rAt + a * n + j] / (2 * tau * tau);
        dBoth[dh + a * 2 * n + n + j] = (num - f[h + a * n + j]) / n;
      }
    }
  }

  /** The same gradient from the explicit similarities, for steps where the expansion is not exact enough. */
  function cellExact(b: number): void {
    const h = hAt + b * M * n;
    const hv = hvAt + b * M * n;
    const dh = b * M * 2 * n;
    const row = new Float64Array(n);
    for (let a = 0; a < M; a++) dBoth.fill(0, dh + a * 2 * n + n, dh + (a + 1) * 2 * n);
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let a = 0; a < M; a++) s += f[h + a * n + i] * f[hv + a * n + j];
        row[j] = s / tau;
        max = Math.max(max, row[j]);
      }
      let sum = 0;
      for (let j = 0; j < n; j++) sum += row[j] = Math.exp(row[j] - max);
      for (let a = 0; a < M; a++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += row[j] * f[hv + a * n + j];
        dBoth[dh + a * 2 * n + i] = (s / sum - f[hv + a * n + i]) / n;
        for (let j = 0; j < n; j++) dBoth[dh + a * 2 * n + n + j] += ((row[j] / sum) * f[h + a * n + i]) / n;
      }
    }
    for (let a = 0; a < M; a++)
      for (let j = 0; j < n; j++) dBoth[dh + a * 2 * n + n + j] -= f[h + a * n + j] / n;
  }

  function maxColumnNorm(at: number): number {
    let best = 0;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let a = 0; a < M; a++) s += f[at + a * n + j] ** 2;
      best = Math.max(best, s);
    }
    return Math.sqrt(best);
  }

  function step(): void {
    // h_r(x_i) = <w_r, xi_i> + w_r[0] y_i ||mu||
    f.fill(0, hAt, hAt + 2 * RA * n);
    // One data matrix at a time: at n = 1600 each fills most of a core's L2, both together do not.
    for (let r = 0; r < RA; r++) arena.addCombination(hAt + r * n, n, w, r * d, d, xiTAt);
    for (let r = 0; r < RA; r++) arena.addCombination(hvAt + r * n, n, w, r * d, d, xvTAt);
    for (let r = 0; r < RA; r++) {
      const sig = w[r * d] * signalNorms[Math.floor(r / M)];
      for (let i = 0; i < n; i++) {
        f[hAt + r * n + i] += sig * sa[i];
        f[hvAt + r * n + i] += sig * sv[i];
      }
    }
    for (let b = 0; b < B; b++) {
      const bound = (maxColumnNorm(hAt + b * M * n) * maxColumnNorm(hvAt + b * M * n)) / tau;
      if (bound <= TAYLOR_LIMIT) cellTaylor(b);
      else cellExact(b);
    }
    f.fill(0, gradAt, gradAt + RA * d);
    for (let r = 0; r < RA; r++) {
      arena.addCombination(gradAt + r * d, d, dBoth, r * 2 * n, 2 * n, bothAt);
      let ys = 0;
      for (let i = 0; i < n; i++) {
        // Unmasked views share their signal, and the sum keeps today's rounding.
        ys +=
          sa === sv
            ? (dBoth[r * 2 * n + i] + dBoth[r * 2 * n + n + i]) * sa[i]
            : dBoth[r * 2 * n + i] * sa[i] + dBoth[r * 2 * n + n + i] * sv[i];
      }
      f[gradAt + r * d] += ys * signalNorms[Math.floor(r / M)];
    }
    // The expansion's gradient is in units of tau: the 1/tau of ds/dh is applied here.
    stepEncoderRows(encoder, f, gradAt, tau);
    watch.check(w, heads);
  }

  await runInChunks({ steps, step, progress });
  return { weights: Float32Array.from(w), heads, diverged: watch.diverged };
}
