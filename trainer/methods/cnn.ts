import { z } from 'zod';
import {
  checkPretrainBatch,
  headDim,
  PARAM_DEFAULTS,
  paramShape,
  pretrainBatch,
  type CnnParams,
  type ParamName,
} from '../params.ts';

// What the built-in methods (the two-layer CNN of paper-spec, with or without SimCLR pre-training)
// share: one parameter set, one way to normalise and key a cell.

/**
 * A built-in method's schema: the shared parameters, its name (the method of a cell that names none, if
 * `isDefault`) and its own checks.
 */
export function cnnSchema<Name extends string>(
  name: Name,
  opts: { isDefault?: boolean; check?: (cell: CnnParams<Name>, ctx: z.RefinementCtx) => void } = {},
) {
  const method = opts.isDefault ? z.literal(name).default(name) : z.literal(name);
  return z
    .object({ method, ...paramShape })
    .strict()
    .superRefine((cell, ctx) => {
      opts.check?.(cell as CnnParams<Name>, ctx);
      checkPretrainBatch(cell, ctx);
    });
}

/** Parameters a method never reads are set to the defaults, so that such cells are one cell. */
export function cnnNormalize<P extends CnnParams<string>>(params: P, uses: (name: ParamName) => boolean): P {
  const out = { ...params };
  for (const name of Object.keys(paramShape) as ParamName[]) {
    if (!uses(name)) (out as Record<ParamName, unknown>)[name] = PARAM_DEFAULTS[name];
  }
  // Optional widths written out at the value they default to are the same cell as when left out.
  if (out.projection_head === 'identity' || headDim(out) === 2 * out.m) delete out.head_dim;
  // Without a mask the model is rotation-invariant: mu's direction never reaches the outcome.
  if (out.augment_mask === 0) out.signal_direction = PARAM_DEFAULTS.signal_direction;
  if (pretrainBatch(out) === out.n_unlabeled) delete out.pretrain_batch;
  return out;
}

// The SimCLR design choices came after trainer version 2's cells were keyed: at their defaults they
// reproduce that trainer exactly, so they enter a key only when set otherwise and earlier cells keep
// their keys and cached results.
const KEYED_UNLESS_DEFAULT = [
  'augment_keep',
  'augment_mask',
  'signal_direction',
  'projection_head',
  'head_lr',
  'similarity',
  'negatives',
  'symmetric',
  'renormalize',
  'finetune',
] as const satisfies readonly ParamName[];

// Same key = same outcome: every parameter determines the outcome, and the version separates results of
// different trainers. Changing this function orphans every cached result.
export function cnnKey(params: CnnParams<string>, version: string): unknown {
  const keyed: Partial<CnnParams<string>> = { ...params };
  for (const name of KEYED_UNLESS_DEFAULT) if (keyed[name] === PARAM_DEFAULTS[name]) delete keyed[name];
  return { params: keyed, trainer_version: version };
}

/** The fields that fix the fine-tuning's tensor shapes and loop; the rest are per-cell scalars or data. */
export function cnnShape(params: CnnParams<string>): Record<string, unknown> {
  const { method, n_labels, d, m, q, steps, n_test } = params;
  return { method, n_labels, d, m, q, steps, n_test };
}

/** Rough cost of fine-tuning a cell in multiply-adds of the js path. */
export function fineTuneWork(cell: CnnParams<string>): number {
  // per step: the Gram update, about half of it skipped by the ReLU, plus the fixed per-step work
  const rows = 2 * cell.m;
  const n = cell.n_labels;
  return cell.steps * rows * n * (Math.min(n, 2 * cell.d) / 2 + 20);
}
