import { tfjsFallback } from './backend.ts';
import {
  filterSplit,
  initialFilters,
  labeledSet,
  pretrainFilters,
  scaleRow,
  signalNorm,
  unlabeledSet,
} from './data.ts';
import {
  allFinite,
  headChange,
  meanLogisticLoss,
  noiseMemorization,
  probeAlignment,
  signalAlignment,
  signalLearning,
  testError,
} from './metrics.ts';
import { batchSchedule, pretrainViews, randomDirection } from './augment.ts';
import { initialHead, type HeadWeights } from './contrastive.ts';
import { encoderKey } from './grouping.ts';
import { headDim, pretrainBatch, type CnnParams } from './params.ts';
import type { TrainContext } from './methods/method.ts';
import { PhaseClock } from './phase-clock.ts';
import { pretrain, type PretrainGroup, type Pretrained } from './simclr.ts';
import { pretrainFused } from './fused-simclr.ts';
import { fusedSupervisedFits, trainSupervisedFused } from './fused-supervised.ts';
import { trainLinearProbe } from './linear-probe.ts';
import { trainSupervised, type GroupCurvePoint, type SupervisedOutcome } from './supervised.ts';
import type { CellResult, CurvePoint } from './types.ts';

// The built-in methods' training: the CNN of paper-spec, fine-tuned from random filters or from a
// SimCLR encoder. Cells that differ only in SNR share their data (common random numbers) and train as one
// batch.

type CellParams = CnnParams<string>;

function pretrainGroup(c: CellParams, norms: number[]): PretrainGroup {
  const rows = 2 * c.m;
  const batch = pretrainBatch(c);
  return {
    views: pretrainViews(unlabeledSet(c.seed, c.n_unlabeled, c.d, c.sigma_p), {
      seed: c.seed,
      keep: c.augment_keep,
      mask: c.augment_mask,
      // one SNR per group then (batchKey)
      direction:
        c.signal_direction === 'random'
          ? { u: randomDirection(c.seed, c.d), signalNorm: norms[0] }
          : undefined,
    }),
    signalNorms: norms,
    init: pretrainFilters(c.seed, rows, c.d, c.pretrain_init_norm),
    rows,
    steps: c.pretrain_steps,
    lr: c.pretrain_lr,
    headLr: c.head_lr,
    rowNorm: c.pretrain_init_norm,
    renormalize: c.renormalize,
    head: initialHead(c.seed, c.projection_head, rows, headDim(c)),
    loss: { similarity: c.similarity, symmetric: c.symmetric, tau: c.tau, negatives: c.negatives },
    batches: batchSchedule(c.seed, c.n_unlabeled, batch, c.pretrain_steps),
    batch,
  };
}

// Pre-trained encoders of recent groups (filters of a few kilobytes each, and the head's weights), keyed
// by encoderKey and backend: a group with SNRs added (a refine round), another label count or a seed
// added reuses every encoder it shares with one trained before, and pre-trains only the others. Each
// encoder is computed from its own SNR alone, so a batch of some encoders gives each what a batch of all
// would.
interface Encoder {
  weights: Float32Array;
  head: HeadWeights;
  diverged: boolean;
}
const encoderCache = new Map<string, Promise<Encoder>>();
const ENCODERS_KEPT = 512;

function rememberEncoder(key: string, encoder: Promise<Encoder>): void {
  encoderCache.set(key, encoder);
  // A failed or aborted run is not kept.
  encoder.catch(() => {
    if (encoderCache.get(key) === encoder) encoderCache.delete(key);
  });
  if (encoderCache.size > ENCODERS_KEPT) encoderCache.delete(encoderCache.keys().next().value!);
}

/** The group's pre-trained encoders (cell after cell), pre-training only those not cached. */
async function cachedPretrain(
  cells: CellParams[],
  backend: string,
  size: number,
  run: (missing: CellParams[]) => Promise<Pretrained>,
): Promise<Pretrained> {
  const keys = cells.map((cell) => JSON.stringify([encoderKey(cell), backend]));
  const parts = keys.map((key) => encoderCache.get(key));
  const missing = parts.flatMap((part, b) => (part === undefined ? [b] : []));
  if (missing.length > 0) {
    const batch = run(missing.map((b) => cells[b]));
    missing.forEach((b, i) => {
      parts[b] = batch.then((all) => ({
        weights: all.weights.slice(i * size, (i + 1) * size),
        head: all.heads[i],
        diverged: all.diverged[i],
      }));
      rememberEncoder(keys[b], parts[b]);
    });
  }
  const encoders = await Promise.all(parts);
  const weights = new Float32Array(cells.length * size);
  encoders.forEach((encoder, b) => weights.set(encoder!.weights, b * size));
  return {
    weights,
    heads: encoders.map((encoder) => encoder!.head),
    diverged: encoders.map((encoder) => encoder!.diverged),
  };
}

/** Initial filters for fine-tuning: pre-trained rows split at random into the two classes, rescaled. */
function fineTuneInit(pretrained: Float32Array, cells: CellParams[], rows: number): Float32Array {
  const { seed, d, sigma0 } = cells[0];
  const order = filterSplit(seed, rows);
  const out = new Float32Array(cells.length * rows * d);
  for (let b = 0; b < cells.length; b++) {
    for (let r = 0; r < rows; r++) {
      const from = (b * rows + order[r]) * d;
      out.set(pretrained.subarray(from, from + d), (b * rows + r) * d);
      scaleRow(out, b * rows + r, d, sigma0 * Math.sqrt(d));
    }
  }
  return out;
}

/** One group of cells that share their data (batchKey); `pretraining`: from SimCLR encoders. */
export async function trainCnnGroup(
  cells: CellParams[],
  ctx: TrainContext,
  pretraining: boolean,
): Promise<CellResult[]> {
  const started = performance.now();
  const clock = new PhaseClock(ctx.opts.phaseTimes);
  const c = cells[0];
  const { d, m, seed, sigma_p } = c;
  const rows = 2 * m;
  const norms = cells.map((cell) => signalNorm(cell.snr, sigma_p, d));
  const curvePoints = ctx.opts.curvePoints ?? 20;

  let backend = await ctx.backend();
  let init: Float32Array;
  let encoder: EncoderMetrics[] | null = null;
  let preShare = 0;
  if (pretraining) {
    const total = c.pretrain_steps * c.n_unlabeled + c.steps * c.n_labels;
    preShare = total > 0 ? (c.pretrain_steps * c.n_unlabeled) / total : 0;
    const pretrainer = backend === 'js' ? pretrainFused : pretrain;
    const pretrained = await cachedPretrain(cells, backend, rows * d, (missing) => {
      const group = pretrainGroup(
        c,
        missing.map((cell) => signalNorm(cell.snr, sigma_p, d)),
      );
      clock.lap('data');
      return pretrainer(group, {
        signal: ctx.opts.signal,
        onProgress: (f) => ctx.report(f * preShare),
        chunks: curvePoints,
      });
    });
    clock.lap('pretraining');
    encoder = encoderMetrics(c, pretrained, norms);
    clock.lap('evaluation');
    init = fineTuneInit(pretrained.weights, cells, rows);
  } else {
    const one = initialFilters(seed, m, d, c.sigma0);
    init = new Float32Array(cells.length * one.length);
    for (let b = 0; b < cells.length; b++) init.set(one, b * one.length);
  }

  const train = labeledSet(seed, 'train', c.n_labels, d, sigma_p, c.p);
  const val = labeledSet(seed, 'val', c.n_val, d, sigma_p, c.p);
  const test = labeledSet(seed, 'test', c.n_test, d, sigma_p, c.p);
  clock.lap('data');
  const fineTuning = {
    signal: ctx.opts.signal,
    onProgress: (f: number) => ctx.report(preShare + f * (1 - preShare)),
    curvePoints,
    clock,
  };
  const sets = { train, val, test, signalNorms: norms };
  const probing = pretraining && c.finetune === 'linear_probe';
  let out: SupervisedOutcome;
  if (probing) {
    out = await trainLinearProbe({ rows, lr: c.lr, steps: c.steps, ...sets, filters: init }, fineTuning);
  } else {
    let supervised = trainSupervised;
    if (backend === 'js' && fusedSupervisedFits(c.n_labels, d)) supervised = trainSupervisedFused;
    else if (backend === 'js') backend = await tfjsFallback();
    out = await supervised({ m, q: c.q, lr: c.lr, steps: c.steps, ...sets, init }, fineTuning);
  }
  clock.lap('training');
  // SimCLR's linear evaluation of the same encoder, beside the fine-tuned error.
  let probe: SupervisedOutcome | null = null;
  if (pretraining) {
    probe = probing
      ? out
      : await trainLinearProbe(
          { rows, lr: c.lr, steps: c.steps, ...sets, filters: init },
          { signal: ctx.opts.signal, curvePoints },
        );
    clock.lap('evaluation');
  }
  const wallShare = (performance.now() - started) / cells.length;

  const results = cells.map((cell, b): CellResult => {
    const wFinite = allFinite(out.weights, b * rows * d, (b + 1) * rows * d);
    const trainFinite = allFinite(out.fTrain, b * train.n, (b + 1) * train.n);
    const testFinite = allFinite(out.fTest, b * test.n, (b + 1) * test.n);
    const curve: CurvePoint[] = out.curve.map((point) => ({
      step: point.step,
      train_loss: point.trainLoss[b],
      test_error: point.testError[b],
    }));
    const curveFinite = curve.every((pt) => Number.isFinite(pt.train_loss));
    const alignment = wFinite ? signalAlignment(out.weights, b * rows, rows, d) : null;
    const finalError = testFinite ? testError(out.fTest, b * test.n, test.yObs) : null;
    const best = finalError === null ? null : bestIterate(finalError, cell.steps, out.curve, b, test.n);
    // The probe trains no filter: gamma and rho of its fixed features would be exactly 0, not measured.
    const decomposed = wFinite && !probing;
    const pre = encoder?.[b] ?? null;
    const result: CellResult = {
      test_error: finalError,
      best_test_error: best?.error ?? null,
      best_step: best?.step ?? null,
      test_loss: testFinite ? meanLogisticLoss(out.fTest, b * test.n, test.yObs) : null,
      train_loss: trainFinite ? meanLogisticLoss(out.fTrain, b * train.n, train.yObs) : null,
      signal_alignment: alignment,
      signal_learning: decomposed ? signalLearning(out.weights, init, b * rows, rows, d, norms[b]) : null,
      noise_memorization: decomposed
        ? noiseMemorization(out.weights, init, b * rows, rows, d, train.noise, train.n)
        : null,
      pretrain_alignment: pre?.alignment ?? null,
      probe_alignment: pre?.probeAlignment ?? null,
      linear_probe_error: probe && !pre?.diverged ? testError(probe.fTest, b * test.n, test.yObs) : null,
      head_change: pre?.headChange ?? null,
      diverged: false,
      steps: cell.steps,
      wall_ms: wallShare,
      backend,
      curve,
    };
    result.diverged =
      !wFinite ||
      !trainFinite ||
      !testFinite ||
      !curveFinite ||
      alignment === null ||
      (pre !== null && (pre.diverged || pre.alignment === null)) ||
      [result.test_loss, result.train_loss].includes(null) ||
      (decomposed && result.noise_memorization === null);
    if (result.diverged) {
      // Outputs of non-finite filters are junk even where they look finite (relu(NaN) can give 0).
      result.test_error = null;
      result.best_test_error = null;
      result.best_step = null;
      result.test_loss = null;
      result.train_loss = null;
    }
    if (pre?.diverged) {
      // Filters fine-tuned from an encoder that ran away measure nothing either.
      result.signal_alignment = null;
      result.signal_learning = null;
      result.noise_memorization = null;
    }
    return result;
  });
  clock.lap('evaluation');
  return results;
}

interface EncoderMetrics {
  /** pre-training ran away (pretrain-divergence.ts): then every metric here is null */
  diverged: boolean;
  alignment: number | null;
  probeAlignment: number | null;
  headChange: number | null;
}

/** Per cell: what the pre-trained encoder (and its head) say before any label is seen. */
function encoderMetrics(c: CellParams, pretrained: Pretrained, norms: number[]): EncoderMetrics[] {
  const rows = 2 * c.m;
  const { d } = c;
  const initial = initialHead(c.seed, c.projection_head, rows, headDim(c));
  return norms.map((norm, b) => {
    if (pretrained.diverged[b])
      return { diverged: true, alignment: null, probeAlignment: null, headChange: null };
    const finite = allFinite(pretrained.weights, b * rows * d, (b + 1) * rows * d);
    return {
      diverged: false,
      alignment: finite ? signalAlignment(pretrained.weights, b * rows, rows, d) : null,
      probeAlignment: finite ? probeAlignment(pretrained.weights, b * rows, rows, d, norm) : null,
      headChange: headChange(initial, pretrained.heads[b]),
    };
  });
}

/**
 * The logged iterate with the lowest validation error (the earliest of ties) and its test error: the
 * iterate is chosen without looking at the test set. Without logged iterates, the final one at `steps`.
 */
function bestIterate(
  finalError: number,
  steps: number,
  curve: GroupCurvePoint[],
  b: number,
  n: number,
): { error: number; step: number } {
  let best: GroupCurvePoint | null = null;
  for (const point of curve) if (best === null || point.valError[b] < best.valError[b]) best = point;
  if (best === null) return { error: finalError, step: steps };
  // Curve errors are float32 k / n.
  return { error: Math.round(best.testError[b] * n) / n, step: best.step };
}
