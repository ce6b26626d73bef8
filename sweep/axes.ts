import { z } from 'zod';
import {
  paramShape,
  headDim,
  methodOf,
  PARAM_NAMES,
  parseCellParams,
  pretrainBatch,
  type CellParams,
  type Method,
} from '../trainer/index.ts';

// Every trainer parameter except the method can be a grid axis or a fixed value; the method is chosen
// by the spec's top-level `method`.
export type Axis = Exclude<keyof CellParams, 'method'>;
export const AXES = PARAM_NAMES.filter((name): name is Axis => name !== 'method');

// The numeric parameters but the seed: the ones with values between others, which a boundary can be
// refined along and a chart can place on a continuous axis.
export const NUMERIC_AXES = AXES.filter(
  (axis) => axis !== 'seed' && paramShape[axis].unwrap() instanceof z.ZodNumber,
);

// The metrics of a result row and the methods, for layers that may not import the trainer's values
// (dashboards/).
export { COMMAND_METHOD, METHOD, RESULT_METRICS, untrainedMethods } from '../trainer/index.ts';

// Whether a parameter reaches a method's outcome: cells differing only in the others are one cell.
export function methodUses(method: Method, axis: Axis): boolean {
  return methodOf(method).uses(axis);
}

// A grid point's coordinates: every parameter but the seed, which views average over.
export type GridParams = Omit<CellParams, 'seed'>;

// Cells stored before a parameter existed lack it: they ran at its default, which parsing fills in.
export function gridParamsOf(stored: Record<string, unknown>): GridParams {
  const { seed: _seed, ...params } = parseCellParams({ ...stored, seed: 0 });
  return params;
}

/**
 * The value a cell runs at for a parameter: an optional width left out (head_dim, pretrain_batch) is
 * the value it defaults to, derived from others. Cell keys normalise those defaults away; what a user
 * is shown is always this.
 */
export function effectiveValue(params: GridParams, name: keyof GridParams): number | string | boolean {
  const cell = { ...params, seed: 0 };
  if (name === 'head_dim') return headDim(cell);
  if (name === 'pretrain_batch') return pretrainBatch(cell);
  return params[name];
}
