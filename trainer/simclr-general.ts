import { runTfjsInChunks } from './tfjs-chunked-steps.ts';
import * as tf from '@tensorflow/tfjs-core';
import type { PretrainGroup, PretrainProgress, Pretrained } from './simclr.ts';
import { divergedCells } from './pretrain-divergence.ts';

// The tfjs reference program for SimCLR pre-training with a trained head, cosine similarity, the
// symmetric loss or mini-batches: the loss of contrastive.ts written in tensor algebra, its gradient by
// hand (column-major here: embeddings are M x B, heads act from the left). The fused path
// (fused-simclr-general.ts) is checked against it.

interface CellHead {
  v1: tf.Tensor2D | null;
  v2: tf.Tensor2D | null;
}

// As in contrastive.ts: a zero embedding stays zero under normalisation.
const MIN_NORM = 1e-12;

export async function pretrainGeneral(group: PretrainGroup, progress: PretrainProgress): Promise<Pretrained> {
  const { views, signalNorms, rows: M, steps, lr, headLr, rowNorm, batches, batch: B, head, loss } = group;
  const cells = signalNorms.length;
  const { n, d } = views;
  const R = cells * M;
  const k = head.k;
  const { tau } = loss;
  const cosine = loss.similarity === 'cosine';

  const consts = {
    anchors: tf.tensor2d(Float32Array.from(views.anchorNoise), [n, d]),
    views: tf.tensor2d(Float32Array.from(views.viewNoise), [n, d]),
    sa: tf.tensor1d(Float32Array.from(views.anchorSignal)),
    sv: tf.tensor1d(Float32Array.from(views.viewSignal)),
    rowMu: tf.tensor2d(
      Float32Array.from({ length: R }, (_, r) => signalNorms[Math.floor(r / M)]),
      [R, 1],
    ),
    e1: tf.tensor2d(
      Float32Array.from({ length: d }, (_, x) => (x === 0 ? 1 : 0)),
      [1, d],
    ),
    eye: tf.eye(B),
  };
  const init = new Float32Array(R * d);
  for (let b = 0; b < cells; b++) init.set(Float32Array.from(group.init), b * M * d);
  let w = tf.tensor2d(init, [R, d]);
  let heads: CellHead[] = signalNorms.map(() => ({
    v1: head.kind === 'identity' ? null : tf.tensor2d(Float32Array.from(head.v1), [k, M]),
    v2: head.kind === 'mlp' ? tf.tensor2d(Float32Array.from(head.v2), [k, k]) : null,
  }));

  const all = loss.negatives === 'all';
  // Added to a same-side similarity matrix: an anchor is never its own negative.
  const noSelf = tf.mul(consts.eye, -1e30);

  /**
   * Each row of S (own positive on the diagonal) against its candidates, and with negatives 'all' also
   * against the row of its same-side similarities `same`: dL/dS and dL/dsame of one direction.
   */
  function direction(S: tf.Tensor2D, same: tf.Tensor2D | null, weight: number) {
    const logits = same ? tf.concat([S, tf.add(same, noSelf)], 1) : S;
    const p = tf.div(tf.mul(tf.softmax(logits), weight), B);
    const target = tf.div(tf.mul(consts.eye, weight), B);
    if (!same) return { g: tf.sub(p, target) as tf.Tensor2D, gSame: null };
    return {
      g: tf.sub(tf.slice(p, [0, 0], [B, B]), target) as tf.Tensor2D,
      gSame: tf.slice(p, [0, B], [B, B]) as tf.Tensor2D,
    };
  }

  /** dL/dS for the B x B similarities, and dL/d(anchor-anchor), dL/d(view-view) ones for 'all' */
  function lossGradient(S: tf.Tensor2D, ua: tf.Tensor2D, uv: tf.Tensor2D) {
    const sim = (u: tf.Tensor2D) => tf.div(tf.matMul(u, u, true, false), tau) as tf.Tensor2D;
    const weight = loss.symmetric ? 0.5 : 1;
    const rows = direction(S, all ? sim(ua) : null, weight);
    if (!loss.symmetric) return { G: rows.g, gAnchors: rows.gSame, gViews: null };
    const cols = direction(tf.transpose(S), all ? sim(uv) : null, weight);
    return {
      G: tf.add(rows.g, tf.transpose(cols.g)) as tf.Tensor2D,
      gAnchors: rows.gSame,
      gViews: cols.gSame,
    };
  }

  /** One cell: its embeddings (M x B each) -> gradients in them and a stepped head. */
  function cellStep(hb: tf.Tensor2D, hvb: tf.Tensor2D, cell: CellHead) {
    const forward = (
      x: tf.Tensor2D,
    ): { g: tf.Tensor2D; pre: tf.Tensor2D | null; hid: tf.Tensor2D | null } => {
      if (!cell.v1) return { g: x, pre: null, hid: null };
      const pre = tf.matMul(cell.v1, x) as tf.Tensor2D;
      if (!cell.v2) return { g: pre, pre: null, hid: null };
      const hid = tf.relu(pre) as tf.Tensor2D;
      return { g: tf.matMul(cell.v2, hid) as tf.Tensor2D, pre, hid };
    };
    const fa = forward(hb);
    const fv = forward(hvb);
    const unit = (g: tf.Tensor2D) => {
      const norms = tf.maximum(tf.sqrt(tf.sum(tf.square(g), 0, true)), MIN_NORM);
      return { u: tf.div(g, norms) as tf.Tensor2D, norms };
    };
    const ua = cosine ? unit(fa.g) : { u: fa.g, norms: null };
    const uv = cosine ? unit(fv.g) : { u: fv.g, norms: null };
    const { G, gAnchors, gViews } = lossGradient(
      tf.div(tf.matMul(ua.u, uv.u, true, false), tau) as tf.Tensor2D,
      ua.u,
      uv.u,
    );
    let dga = tf.div(tf.matMul(uv.u, G, false, true), tau) as tf.Tensor2D; // k x B
    let dgv = tf.div(tf.matMul(ua.u, G), tau) as tf.Tensor2D;
    // through u_i^T u_j / tau of one side: (G + G^T) u / tau
    const same = (u: tf.Tensor2D, g: tf.Tensor2D) =>
      tf.div(tf.matMul(u, tf.add(g, tf.transpose(g))), tau) as tf.Tensor2D;
    if (gAnchors) dga = tf.add(dga, same(ua.u, gAnchors)) as tf.Tensor2D;
    if (gViews) dgv = tf.add(dgv, same(uv.u, gViews)) as tf.Tensor2D;
    if (cosine) {
      const back = (du: tf.Tensor2D, u: tf.Tensor2D, norms: tf.Tensor) => {
        const live = tf.cast(tf.greater(norms, MIN_NORM), 'float32');
        const proj = tf.mul(tf.sum(tf.mul(u, du), 0, true), live);
        return tf.div(tf.sub(du, tf.mul(u, proj)), norms) as tf.Tensor2D;
      };
      dga = back(dga, ua.u, ua.norms!);
      dgv = back(dgv, uv.u, uv.norms!);
    }
    if (!cell.v1) return { dh: dga, dhv: dgv, next: cell };
    let dpa = dga;
    let dpv = dgv;
    let v2: tf.Tensor2D | null = null;
    if (cell.v2) {
      const dV2 = tf.add(tf.matMul(dga, fa.hid!, false, true), tf.matMul(dgv, fv.hid!, false, true));
      v2 = tf.sub(cell.v2, tf.mul(dV2, headLr)) as tf.Tensor2D;
      dpa = tf.mul(tf.matMul(cell.v2, dga, true, false), tf.step(fa.pre!)) as tf.Tensor2D;
      dpv = tf.mul(tf.matMul(cell.v2, dgv, true, false), tf.step(fv.pre!)) as tf.Tensor2D;
    }
    const dV1 = tf.add(tf.matMul(dpa, hb, false, true), tf.matMul(dpv, hvb, false, true));
    return {
      dh: tf.matMul(cell.v1, dpa, true, false),
      dhv: tf.matMul(cell.v1, dpv, true, false),
      next: { v1: tf.sub(cell.v1, tf.mul(dV1, headLr)) as tf.Tensor2D, v2 },
    };
  }

  function step(t: number): void {
    const index = batches ? tf.tensor1d(batches.subarray(t * B, (t + 1) * B), 'int32') : null;
    const pick = <T extends tf.Tensor>(x: T): T => (index ? (tf.gather(x, index) as T) : x);
    let nextW = w;
    let nextHeads = heads;
    tf.tidy(() => {
      const anchors = pick(consts.anchors);
      const viewRows = pick(consts.views);
      const sa = tf.reshape(pick(consts.sa), [1, B]);
      const sv = tf.reshape(pick(consts.sv), [1, B]);
      const wMu = tf.mul(tf.slice(w, [0, 0], [R, 1]), consts.rowMu);
      const h = tf.add(tf.matMul(w, anchors, false, true), tf.matMul(wMu, sa)) as tf.Tensor2D; // R x B
      const hv = tf.add(tf.matMul(w, viewRows, false, true), tf.matMul(wMu, sv)) as tf.Tensor2D;
      const dh: tf.Tensor[] = [];
      const dhv: tf.Tensor[] = [];
      const next: CellHead[] = [];
      for (let b = 0; b < cells; b++) {
        const out = cellStep(tf.slice(h, [b * M, 0], [M, B]), tf.slice(hv, [b * M, 0], [M, B]), heads[b]);
        dh.push(out.dh);
        dhv.push(out.dhv);
        next.push(out.next);
      }
      const dH = tf.concat(dh, 0);
      const dHv = tf.concat(dhv, 0);
      const gradNoise = tf.add(tf.matMul(dH, anchors), tf.matMul(dHv, viewRows));
      const ys = tf.add(tf.matMul(dH, sa, false, true), tf.matMul(dHv, sv, false, true)); // R x 1
      const grad = tf.add(gradNoise, tf.mul(tf.mul(ys, consts.rowMu), consts.e1));
      let moved = tf.sub(w, tf.mul(grad, lr)) as tf.Tensor2D;
      if (group.renormalize) {
        moved = tf.mul(moved, tf.div(rowNorm, tf.sqrt(tf.sum(tf.square(moved), 1, true)))) as tf.Tensor2D;
      }
      nextW = tf.keep(moved);
      nextHeads = next.map((c) => ({ v1: c.v1 && tf.keep(c.v1), v2: c.v2 && tf.keep(c.v2) }));
    });
    index?.dispose();
    w.dispose();
    tf.dispose(heads.flatMap((c) => [c.v1, c.v2]).filter((x): x is tf.Tensor2D => x !== null));
    w = nextW;
    heads = nextHeads;
  }

  try {
    await runTfjsInChunks({
      steps,
      step,
      progress,
      probe: () => tf.slice(w, [0, 0], [1, 1]),
    });
    const weights = (await w.data()) as Float32Array;
    const read = async (v: tf.Tensor2D | null) =>
      v ? Float64Array.from((await v.data()) as Float32Array) : new Float64Array(0);
    const finalHeads = await Promise.all(
      heads.map(async (c) => ({ v1: await read(c.v1), v2: await read(c.v2) })),
    );
    return { weights, heads: finalHeads, diverged: divergedCells(weights, M * d, finalHeads) };
  } finally {
    w.dispose();
    tf.dispose(heads.flatMap((c) => [c.v1, c.v2]).filter((x): x is tf.Tensor2D => x !== null));
    tf.dispose([...Object.values(consts), noSelf]);
  }
}
