import {
  cellParamsSchema,
  headDim,
  parseCellParams,
  pretrainBatch,
  TRAINER_VERSION,
  type CellParams,
  type Method,
} from '../trainer/index.ts';
import { AXES, methodUses, type Axis } from './axes.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { DEFAULT_MAX_CELLS, GridTooLargeError, gridTooLargeMessage } from './limits.ts';
import type { SweepSpec } from './spec-schema.ts';
import { axisLength, axisValues } from './values.ts';

export interface Cell {
  key: string;
  ordinal: number;
  params: CellParams;
}

const TRAINER_DEFAULTS = cellParamsSchema.parse({});

// Parameters a method never reads are set to the trainer defaults, so that cells differing only there
// are one cell with one key, trained once.
// Optional widths written out at the value they default to are the same cell as when left out.
export function normalizeParams(params: CellParams): CellParams {
  const out = { ...params };
  for (const axis of AXES) {
    if (!methodUses(params.method, axis)) (out as Record<Axis, unknown>)[axis] = TRAINER_DEFAULTS[axis];
  }
  if (out.projection_head === 'identity' || headDim(out) === 2 * out.m) delete out.head_dim;
  // The linear probe trains no ReLU^q network: q never reaches its outcome.
  if (out.method === 'simclr' && out.finetune === 'linear_probe') out.q = TRAINER_DEFAULTS.q;
  // Without a mask the model is rotation-invariant: mu's direction never reaches the outcome.
  if (out.augment_mask === 0) out.signal_direction = TRAINER_DEFAULTS.signal_direction;
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
] as const satisfies readonly Axis[];

// Same key = same outcome: every CellParams field determines the outcome, and the trainer version
// separates results of different trainers. Changing this function orphans every cached result.
export function cellKey(params: CellParams): string {
  const keyed: Partial<CellParams> = normalizeParams(params);
  for (const name of KEYED_UNLESS_DEFAULT) if (keyed[name] === TRAINER_DEFAULTS[name]) delete keyed[name];
  return sha256Hex(canonicalJson({ params: keyed, trainer_version: TRAINER_VERSION }));
}

function gridAxesFor(spec: SweepSpec, method: Method): Axis[] {
  return AXES.filter((axis) => spec.grid[axis] !== undefined && methodUses(method, axis));
}

// The number of distinct cells, from the axis lengths alone (nothing is generated). Spec parsing refuses
// duplicate values within an axis, so the product per method is exact.
export function countCells(spec: SweepSpec): number {
  let total = 0;
  for (const method of spec.method) {
    total += gridAxesFor(spec, method).reduce((n, axis) => n * axisLength(spec.grid[axis]!), 1);
  }
  return total;
}

// Deterministic order: methods as listed in the spec, then an odometer over the grid axes in the
// trainer's parameter order (the last axis varies fastest), independent of the key order in the file.
export function* iterateCells(spec: SweepSpec): Generator<Cell> {
  let ordinal = 0;
  for (const method of spec.method) {
    const axes = gridAxesFor(spec, method);
    const values = axes.map((axis) => axisValues(spec.grid[axis]!));
    if (values.some((v) => v.length === 0)) continue;
    const index = axes.map(() => 0);
    for (;;) {
      const input: Record<string, unknown> = { ...spec.fixed, method };
      axes.forEach((axis, i) => (input[axis] = values[i][index[i]]));
      const params = normalizeParams(parseCellParams(input));
      yield { key: cellKey(params), ordinal: ordinal++, params };
      let digit = axes.length - 1;
      while (digit >= 0 && ++index[digit] === values[digit].length) index[digit--] = 0;
      if (digit < 0) break;
    }
  }
}

// The grid as an index: the parameters of the i-th cell of iterateCells' order, computed from i alone,
// so a grid can be walked in any order without holding its cells.
export function gridIndex(spec: SweepSpec): { count: number; paramsAt(i: number): CellParams } {
  const blocks = spec.method.map((method) => {
    const axes = gridAxesFor(spec, method);
    const values = axes.map((axis) => axisValues(spec.grid[axis]!));
    return { method, axes, values, count: values.reduce((n, v) => n * v.length, 1) };
  });
  const count = blocks.reduce((n, b) => n + b.count, 0);
  return {
    count,
    paramsAt(i: number): CellParams {
      if (!Number.isSafeInteger(i) || i < 0 || i >= count)
        throw new RangeError(`no cell ${i} in a grid of ${count}`);
      let rest = i;
      const block = blocks.find((b) => (rest < b.count ? true : ((rest -= b.count), false)))!;
      const input: Record<string, unknown> = { ...spec.fixed, method: block.method };
      // The last axis varies fastest, as in iterateCells' odometer.
      for (let a = block.axes.length - 1; a >= 0; a--) {
        const n = block.values[a].length;
        input[block.axes[a]] = block.values[a][rest % n];
        rest = Math.floor(rest / n);
      }
      return normalizeParams(parseCellParams(input));
    },
  };
}

export function expandCells(spec: SweepSpec, opts: { maxCells?: number } = {}): Cell[] {
  const limit = opts.maxCells ?? DEFAULT_MAX_CELLS;
  const total = countCells(spec);
  if (total > limit) throw new GridTooLargeError(gridTooLargeMessage(total, limit));
  return [...iterateCells(spec)];
}
