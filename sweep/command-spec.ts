import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { commandSchema, type CommandSection } from './command-schema.ts';
import { formatSpecPath, SpecError, type SpecPath } from './spec-error.ts';
import { axisValues, type AxisValue, type AxisValues } from './values.ts';
import { locate } from './yaml-locate.ts';

export interface CommandSpec {
  command: CommandSection;
  /** the first cell of the grid: each axis' first value over `fixed`, the seed taken out */
  firstCell: { params: Record<string, AxisValue>; seed: number };
}

const outline = z.looseObject({
  command: commandSchema,
  grid: z.record(z.string(), z.unknown()).default({}),
  fixed: z.record(z.string(), z.unknown()).default({}),
});

// Reads what `command check` needs of a spec with `method: command`: its `command:` section and the
// grid's first cell. Until the spec schema takes `method: command`, this is the one reader of the
// section; its errors carry the line and column, as the spec's do.
export function parseCommandSpec(text: string, fileName: string): CommandSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const fail = (path: SpecPath, message: string): never => {
    throw new SpecError(fileName, [
      { path: formatSpecPath(path), ...locate(doc, lineCounter, path), message },
    ]);
  };
  if (doc.errors.length > 0) fail([], `not valid YAML: ${doc.errors[0].message}`);
  const data: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const parsed = outline.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const missing = issue.code === 'invalid_type' && valueAt(data, path) === undefined;
    fail(path, missing ? `missing (${issue.message})` : issue.message);
  }
  const { command, grid, fixed } = parsed.data!;
  const params: Record<string, AxisValue> = {};
  for (const [name, value] of Object.entries(fixed)) params[name] = value as AxisValue;
  for (const [name, values] of Object.entries(grid)) {
    const first = axisValues(values as AxisValues)[0];
    if (first === undefined) fail(['grid', name], 'an axis needs at least one value');
    params[name] = first;
  }
  const { seed = 0, ...rest } = params;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0)
    fail([grid.seed === undefined ? 'fixed' : 'grid', 'seed'], 'expected a whole number >= 0');
  return { command, firstCell: { params: rest, seed: seed as number } };
}

function valueAt(data: unknown, path: SpecPath): unknown {
  let value = data;
  for (const segment of path)
    value =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  return value;
}
