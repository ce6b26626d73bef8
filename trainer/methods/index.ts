import { z } from 'zod';
import { paramShape, TrainerInputError } from '../params.ts';
import type { ResultMetric } from '../result-metrics.ts';
import type { TrainerMethod } from './method.ts';
import { noop } from './noop.ts';
import { simclr } from './simclr.ts';
import { supervised } from './supervised.ts';

// The registry: every method, listed once. Adding one is writing its module and naming it here; nothing
// else in phasesweep names a method (eslint.config.js holds everything outside trainer/methods/ to that).
const REGISTRY = [supervised, simclr, noop] as const;

type Names<T> = { readonly [I in keyof T]: T[I] extends { name: infer N } ? N : never };
export const METHODS = REGISTRY.map((method) => method.name) as unknown as Names<typeof REGISTRY>;
export type Method = (typeof METHODS)[number];

type Schema = (typeof REGISTRY)[number]['schema'];
export const cellParamsSchema = z.discriminatedUnion(
  'method',
  REGISTRY.map((method) => method.schema) as unknown as [Schema, ...Schema[]],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `Invalid option: expected one of ${METHODS.map((m) => JSON.stringify(m)).join('|')}`
        : undefined,
  },
);
type Input = z.input<typeof cellParamsSchema>;
// What parsing accepts: a cell that names no method is one of the default method's.
export type CellParamsInput = Input extends { method: infer M }
  ? Omit<Input, 'method'> & { method?: M }
  : never;
export type CellParams = z.output<typeof cellParamsSchema>;

/** The methods by name, for the few places that compare two of them by name (the papers' comparisons). */
export const METHOD = Object.fromEntries(METHODS.map((name) => [name, name])) as {
  [M in Method]: M;
};

const BY_NAME = new Map<string, TrainerMethod<CellParams>>(
  REGISTRY.map((method) => [method.name, method as unknown as TrainerMethod<CellParams>]),
);

/** A method's module. Its functions take cells of that method only. */
export function methodOf(name: Method): TrainerMethod<CellParams> {
  const method = BY_NAME.get(name);
  if (method === undefined) throw new TrainerInputError(`unknown method '${name}'`);
  return method;
}

/** The methods whose results carry a metric, in registry order. */
export function methodsWith(metric: ResultMetric): Method[] {
  return METHODS.filter((name) => methodOf(name).metrics.includes(metric));
}

/** Trained methods, in registry order: those whose outcomes the views draw. */
export const TRAINED_METHODS: readonly Method[] = METHODS.filter((name) => methodOf(name).trains);

export function parseCellParams(input: unknown): CellParams {
  const parsed = cellParamsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown parameter(s) ${issue.keys.join(', ')}`;
    const where = issue.path.length > 0 ? `parameter '${issue.path.join('.')}'` : 'parameters';
    return `${where}: ${issue.message}`;
  });
  throw new TrainerInputError(`invalid cell parameters: ${problems.join('; ')}`);
}

/** Every parameter name, the method first, in the order of the schemas (the odometer's order). */
export const PARAM_NAMES = ['method', ...Object.keys(paramShape)] as (keyof CellParams)[];

// Dispatches for planners outside the trainer.
export const batchKey = (cell: CellParams): string => methodOf(cell.method).batchKey(cell);
export const workOf = (cell: CellParams): number => methodOf(cell.method).work(cell);
