import { methodOf, parseCellParams, type CellParams, type Method } from '../trainer/index.ts';
import { AXES, methodUses, type Axis } from './axes.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { commandAxes, commandIdentity, isCommandSpec } from './command-sweep.ts';
import { DEFAULT_MAX_CELLS, GridTooLargeError, gridTooLargeMessage } from './limits.ts';
import type { SweepSpec } from './spec-schema.ts';
import { axisLength, axisValues } from './values.ts';

export interface Cell {
  key: string;
  ordinal: number;
  params: CellParams;
}

// Parameters a method never reads are set to their defaults (and the like, as each method says), so that
// cells differing only there are one cell with one key, trained once.
export function normalizeParams(params: CellParams): CellParams {
  return methodOf(params.method).normalize(params);
}

// Same key = same outcome: each method says what of a cell determines its outcome, its version among it.
// Changing a method's keyOf orphans every cached result of that method.
export function cellKey(params: CellParams): string {
  return sha256Hex(canonicalJson(methodOf(params.method).keyOf(normalizeParams(params))));
}

// A command spec's axes are the user's own parameters, by name; the built-ins' are the trainer's.
function gridAxesFor(spec: SweepSpec, method: Method): Axis[] {
  if (isCommandSpec(spec)) return commandAxes(spec) as Axis[];
  return AXES.filter((axis) => spec.grid[axis] !== undefined && methodUses(method, axis));
}

// What every cell of the spec holds besides its axes: the fixed values and the method, and for a
// command spec the program's identity (argv, listed env, code hash), which its key hashes.
function cellBase(spec: SweepSpec, method: Method): Record<string, unknown> {
  const base: Record<string, unknown> = { ...spec.fixed, method };
  if (isCommandSpec(spec)) base.command = commandIdentity(spec);
  return base;
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
    const base = cellBase(spec, method);
    for (;;) {
      const input: Record<string, unknown> = { ...base };
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
    const count = values.reduce((n, v) => n * v.length, 1);
    return { method, axes, values, count, base: undefined as Record<string, unknown> | undefined };
  });
  const count = blocks.reduce((n, b) => n + b.count, 0);
  return {
    count,
    paramsAt(i: number): CellParams {
      if (!Number.isSafeInteger(i) || i < 0 || i >= count)
        throw new RangeError(`no cell ${i} in a grid of ${count}`);
      let rest = i;
      const block = blocks.find((b) => (rest < b.count ? true : ((rest -= b.count), false)))!;
      block.base ??= cellBase(spec, block.method);
      const input = { ...block.base };
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
