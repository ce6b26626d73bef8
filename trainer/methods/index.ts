import { z } from 'zod';
import { paramShape, TrainerInputError } from '../params.ts';
import type { ResultMetric } from '../result-metrics.ts';
import { command } from './command.ts';
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

function unknownMethod(): string {
  return `Invalid option: expected one of ${methodNames()
    .map((m) => JSON.stringify(m))
    .join('|')}`;
}

type Schema = (typeof REGISTRY)[number]['schema'];
export const cellParamsSchema = z.discriminatedUnion(
  'method',
  REGISTRY.map((method) => method.schema) as unknown as [Schema, ...Schema[]],
  {
    error: (issue) => (issue.code === 'invalid_union' ? unknownMethod() : undefined),
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

// `command` is listed after the built-ins but outside the union: its cells carry the user's own
// parameters, not the CNN's, so it joins the way a plug-in does and CellParams stays the type of the
// cells the CNN's views read.
const BY_NAME = new Map<string, TrainerMethod<CellParams>>(
  [...REGISTRY, command].map((method) => [method.name, method as unknown as TrainerMethod<CellParams>]),
);

/** The name of the method that runs the user's own program. */
export const COMMAND_METHOD = command.name;
export const isCommandCell = (params: { method: string }): boolean => params.method === COMMAND_METHOD;

/**
 * Adds a method at run time (a plug-in: a test's toy method, a method defined outside phasesweep). Its
 * cells pass everywhere a built-in's do; its name is not in the Method type, so callers cast it.
 */
export function registerMethod<P extends { method: string }>(method: TrainerMethod<P>): void {
  if (BY_NAME.has(method.name)) throw new Error(`a method named '${method.name}' exists already`);
  BY_NAME.set(method.name, method as unknown as TrainerMethod<CellParams>);
}

/** Every method's name: the built-ins in registry order, then the plug-ins in order of registration. */
export const methodNames = (): Method[] => [...BY_NAME.keys()] as Method[];

export const isMethod = (name: unknown): name is Method => typeof name === 'string' && BY_NAME.has(name);

/** A method's module. Its functions take cells of that method only. */
export function methodOf(name: Method): TrainerMethod<CellParams> {
  const method = BY_NAME.get(name);
  if (method === undefined) throw new TrainerInputError(`unknown method '${name}'`);
  return method;
}

/** The methods whose results carry a metric, in registry order. */
export function methodsWith(metric: ResultMetric): Method[] {
  return methodNames().filter((name) => methodOf(name).metrics.includes(metric));
}

/**
 * The methods that train nothing (whose results are never drawn as outcomes), built-in or plug-in, in
 * registry order: every other method's results are outcomes, the program's of `command` included.
 */
export const untrainedMethods = (): Method[] => methodNames().filter((name) => !methodOf(name).trains);

export function parseCellParams(input: unknown): CellParams {
  const name = (input as { method?: unknown } | null)?.method;
  // A plug-in's cells are parsed by its own schema, the built-ins' by their union.
  const plugin = isMethod(name) && !(METHODS as readonly string[]).includes(name) ? methodOf(name) : null;
  const parsed = (plugin?.schema ?? cellParamsSchema).safeParse(input) as ReturnType<
    typeof cellParamsSchema.safeParse
  >;
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
