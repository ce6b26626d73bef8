import { z } from 'zod';
import { COMMAND_METHOD, COMMAND_RESERVED_PARAMS, type CommandIdentityParams } from '../trainer/index.ts';
import { countCells } from './cells.ts';
import { gridTooLargeMessage } from './limits.ts';
import { axisValuesSchema, sweepSpecSchema, type SweepSpec } from './spec-schema.ts';
import type { SpecPath } from './spec-error.ts';
import { axisLength, axisValues, type AxisValue, type AxisValues } from './values.ts';

// A spec with `method: command`: the grid and fixed values are the user's own parameters, by any name,
// and the `command:` section says how to run the program (sweep/command-schema.ts).

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const reserved = COMMAND_RESERVED_PARAMS.filter((name) => name !== 'seed') as readonly string[];

const paramName = z
  .string()
  .regex(PARAM_NAME, 'expected a parameter name of letters, digits, _, . and -')
  .refine((name) => !reserved.includes(name), {
    message: `is kept by phasesweep (${reserved.join(', ')}); name the parameter otherwise`,
  });

const fixedValue = z.union([z.number().finite(), z.string(), z.boolean()], {
  error: 'expected a finite number, a string or true/false',
});

export const commandSweepSpecSchema = sweepSpecSchema.extend({
  grid: z.record(paramName, axisValuesSchema, { error: 'expected a mapping of parameter names to values' }),
  fixed: z
    .record(paramName, fixedValue, { error: 'expected a mapping of parameter names to values' })
    .prefault({}),
  command: sweepSpecSchema.shape.command.unwrap(),
});

/** Whether a parsed YAML document asks for `method: command` (alone or in a list). */
export function wantsCommand(data: unknown): boolean {
  const method = (data as { method?: unknown } | null)?.method;
  return method === COMMAND_METHOD || (Array.isArray(method) && method.includes(COMMAND_METHOD));
}

/** Whether a parsed spec is one of `method: command`. */
export const isCommandSpec = (spec: SweepSpec): boolean => spec.command !== undefined;

/** The parameters of a command spec's grid, in the order cells are expanded (by name). */
export function commandAxes(spec: SweepSpec): string[] {
  return Object.keys(spec.grid).sort();
}

/** What identifies the program in each cell of the spec; only a registered spec has its code hash. */
export function commandIdentity(spec: SweepSpec): CommandIdentityParams {
  const command = spec.command;
  if (command?.code_hash === undefined)
    throw new Error('a method: command spec is expanded only once the code of its program is hashed');
  return { argv: [...command.argv], env: { ...command.env }, code_hash: command.code_hash };
}

/** The spec with its program's code hash: from then on its cells have keys. */
export function withCodeHash(spec: SweepSpec, codeHash: string): SweepSpec {
  if (spec.command === undefined) return spec;
  return { ...spec, command: { ...spec.command, code_hash: codeHash } };
}

export interface CommandGridIssue {
  path: SpecPath;
  message: string;
}

// The checks of a command spec's grid that need the whole spec: a parameter set twice, empty axes, the
// size, duplicate values and the seed's values (whole numbers >= 0: the program gets it as its seed).
export function checkCommandGrid(spec: SweepSpec, maxCells: number): CommandGridIssue[] {
  const grid = spec.grid as Record<string, AxisValues>;
  const fixed = spec.fixed as Record<string, AxisValue>;
  const issues: CommandGridIssue[] = [];
  if (spec.method.length > 1 || (spec.method[0] as string) !== COMMAND_METHOD)
    issues.push({
      path: ['method'],
      message: `${COMMAND_METHOD} runs your own program and is not listed with other methods`,
    });
  for (const [name, values] of Object.entries(grid)) {
    if (fixed[name] !== undefined)
      issues.push({
        path: ['fixed', name],
        message: `'${name}' is also a grid axis; set it in one place only`,
      });
    if (axisLength(values) === 0) issues.push({ path: ['grid', name], message: 'this axis has no values' });
  }
  if (spec.refine !== undefined)
    issues.push({
      path: ['refine'],
      message: `refinement reads the built-in methods' metrics; it does not take ${COMMAND_METHOD} sweeps yet`,
    });
  if (issues.length > 0) return issues;
  const cells = countCells(spec);
  if (cells > maxCells) return [{ path: ['grid'], message: gridTooLargeMessage(cells, maxCells) }];
  for (const [name, values] of Object.entries(grid)) {
    const seen = new Set<AxisValue>();
    for (const value of axisValues(values)) {
      if (seen.has(value)) issues.push({ path: ['grid', name], message: `duplicate value ${value}` });
      seen.add(value);
      if (name === 'seed' && !isSeed(value))
        issues.push({ path: ['grid', name], message: `expected whole numbers >= 0, got ${value}` });
    }
  }
  if (fixed.seed !== undefined && !isSeed(fixed.seed))
    issues.push({ path: ['fixed', 'seed'], message: `expected a whole number >= 0, got ${fixed.seed}` });
  return issues;
}

const isSeed = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0;
