import { LineCounter, parseDocument, type Document } from 'yaml';
import type { $ZodIssue } from 'zod/v4/core';
import { COMMAND_METHOD, methodOf, PARAM_DEFAULTS, paramShape, type Method } from '../trainer/index.ts';
import { AXES } from './axes.ts';
import { canonicalJson, sha256Hex } from './canonical-json.ts';
import { countCells } from './cells.ts';
import { checkCommandGrid, commandSweepSpecSchema, wantsCommand } from './command-sweep.ts';
import { DEFAULT_MAX_CELLS, gridTooLargeMessage } from './limits.ts';
import { checkRefine, checkRefineUnparsed } from './refine-check.ts';
import { REFINE_KEYS } from './refine-schema.ts';
import { SpecError, formatSpecPath, type SpecIssue, type SpecPath } from './spec-error.ts';
import { humanIssue, valueAt } from './spec-words.ts';
import { sweepSpecSchema, type SweepSpec } from './spec-schema.ts';
import { axisLength, axisValues, type AxisValue, type AxisValues } from './values.ts';
import { locate } from './yaml-locate.ts';

export { SpecError, type SpecIssue } from './spec-error.ts';
export type { SweepSpec } from './spec-schema.ts';

export interface ParseSpecOptions {
  // Refuse grids with more cells than this (default 1,000,000; infra/max-cells.ts reads the setting).
  maxCells?: number;
}

interface RawIssue {
  path: SpecPath;
  message: string;
  atKey?: boolean;
}

const TOP_LEVEL_KEYS = Object.keys(sweepSpecSchema.shape).join(', ');
const REQUIRED_KEYS = ['name', 'method', 'grid'];
const NOT_A_MAPPING = `expected a mapping with ${REQUIRED_KEYS.join(', ')} (and optionally ${Object.keys(
  sweepSpecSchema.shape,
)
  .filter((key) => !REQUIRED_KEYS.includes(key))
  .join(', ')})`;

function fromZod(issue: $ZodIssue, data: object): RawIssue[] {
  let path = issue.path as SpecPath;
  // A single method may be written as a bare string; its errors belong to `method`, not `method[0]`.
  if (path[0] === 'method' && typeof (data as { method?: unknown }).method === 'string') path = ['method'];
  if (issue.code === 'custom') return [{ path, message: issue.message, atKey: issue.params?.atKey === true }];
  if (issue.code !== 'unrecognized_keys')
    return [{ path, message: humanIssue(issue, valueAt(data, issue.path as SpecPath)) }];
  const parent = path[path.length - 1];
  const refineKeys = path[0] === 'refine' ? REFINE_KEYS[String(parent)] : undefined;
  const expected = refineKeys
    ? refineKeys.join(', ')
    : parent === 'grid' || parent === 'fixed'
      ? `a trainer parameter (${AXES.join(', ')}); the method is set by the top-level 'method'`
      : parent === 'resources'
        ? 'queue, batch_size, max_in_flight, heartbeat_timeout or gpus'
        : TOP_LEVEL_KEYS;
  return issue.keys.map((key) => ({
    path: [...path, key],
    message: `unknown key; expected ${expected}`,
    atKey: true,
  }));
}

function formName(values: AxisValues): string | undefined {
  if (typeof values !== 'object' || Array.isArray(values)) return undefined;
  return Object.keys(values)[0];
}

// Checks that need the whole spec: an axis set twice, empty axes, the grid size (before any value is
// generated), then every generated value against the trainer's schema and for duplicates.
function checkGrid(spec: SweepSpec, maxCells: number): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const axis of AXES) {
    const values = spec.grid[axis];
    if (values === undefined) continue;
    if (spec.fixed[axis] !== undefined) {
      issues.push({
        path: ['fixed', axis],
        message: `'${axis}' is also a grid axis; set it in one place only`,
      });
    }
    if (axisLength(values) === 0) {
      const form = formName(values);
      issues.push({ path: form ? ['grid', axis, form] : ['grid', axis], message: 'this axis has no values' });
    }
  }
  if (issues.length > 0) return issues;

  const cells = countCells(spec);
  if (cells > maxCells) return [{ path: ['grid'], message: gridTooLargeMessage(cells, maxCells) }];

  for (const axis of AXES) {
    const values = spec.grid[axis];
    if (values === undefined) continue;
    const form = formName(values);
    const schema = paramShape[axis].unwrap();
    const seen = new Map<AxisValue, number>();
    axisValues(values).forEach((value, i) => {
      const path: SpecPath = ['grid', axis];
      if (Array.isArray(values)) path.push(i);
      if (form !== undefined) path.push(form);
      const what = form === undefined ? '' : `generated value #${i + 1} (${value}): `;
      const checked = schema.safeParse(value);
      if (!checked.success) {
        issues.push({
          path,
          message: `${what}${checked.error.issues.map((issue) => humanIssue(issue, value)).join('; ')}`,
        });
      }
      const earlier = seen.get(value);
      if (earlier !== undefined) {
        issues.push({ path, message: `${what}duplicate value ${value} (also value #${earlier + 1})` });
      } else {
        seen.set(value, i);
      }
    });
  }
  return issues.length > 0 ? issues : [...checkPretrainBatch(spec), ...checkHeadDim(spec)];
}

// Only a method that reads the pre-training parameters is held to their checks across the grid.
const usesPretraining = (method: Method) => methodOf(method).uses('pretrain_batch');

// The identity head has no width: a head_dim beside it is refused rather than dropped from those cells.
function checkHeadDim(spec: SweepSpec): RawIssue[] {
  if (!spec.method.some(usesPretraining)) return [];
  if (spec.grid.head_dim === undefined && spec.fixed.head_dim === undefined) return [];
  const heads =
    spec.grid.projection_head === undefined
      ? [spec.fixed.projection_head ?? 'identity']
      : axisValues(spec.grid.projection_head);
  if (!heads.includes('identity')) return [];
  return [
    {
      path: [spec.grid.head_dim === undefined ? 'fixed' : 'grid', 'head_dim'],
      message: 'only a linear or mlp projection_head has a head_dim, and projection_head includes identity',
    },
  ];
}

const DEFAULT_N_UNLABELED = PARAM_DEFAULTS.n_unlabeled;

// The one check across parameters: a pre-training batch is drawn from the unlabeled set, so the
// largest batch must fit the smallest set of any cell.
function checkPretrainBatch(spec: SweepSpec): RawIssue[] {
  const numbers = (axis: 'pretrain_batch' | 'n_unlabeled'): number[] => {
    const values = spec.grid[axis] === undefined ? [spec.fixed[axis]] : axisValues(spec.grid[axis]);
    return values.filter((v): v is number => typeof v === 'number');
  };
  const batches = numbers('pretrain_batch');
  if (!spec.method.some(usesPretraining) || batches.length === 0) return [];
  const sets = numbers('n_unlabeled');
  const smallest = sets.length > 0 ? Math.min(...sets) : DEFAULT_N_UNLABELED;
  const largest = Math.max(...batches);
  if (largest <= smallest) return [];
  return [
    {
      path: [spec.grid.pretrain_batch === undefined ? 'fixed' : 'grid', 'pretrain_batch'],
      message: `a pre-training batch of ${largest} exceeds n_unlabeled = ${smallest}: the batch is drawn from the unlabeled samples`,
    },
  ];
}

function fail(fileName: string, doc: Document | undefined, lineCounter: LineCounter, raw: RawIssue[]): never {
  const issues: SpecIssue[] = raw.map((issue) => {
    const position = doc ? locate(doc, lineCounter, issue.path, issue.atKey) : undefined;
    return { path: formatSpecPath(issue.path), ...position, message: issue.message };
  });
  throw new SpecError(fileName, issues);
}

export function parseSpecText(text: string, fileName: string, opts: ParseSpecOptions = {}): SweepSpec {
  const maxCells = opts.maxCells ?? DEFAULT_MAX_CELLS;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SpecError(
      fileName,
      doc.errors.map((error) => ({
        path: '(yaml)',
        ...lineCounter.linePos(error.pos[0]),
        message: `not valid YAML: ${error.message}`,
      })),
    );
  }
  let data: unknown;
  try {
    // The alias limit stops "billion laughs" documents from expanding into memory.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    fail(fileName, doc, lineCounter, [
      { path: [], message: `cannot read the YAML: ${(err as Error).message}` },
    ]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    fail(fileName, doc, lineCounter, [{ path: [], message: NOT_A_MAPPING }]);
  }
  const command = wantsCommand(data);
  const parsed = (command ? commandSweepSpecSchema : sweepSpecSchema).safeParse(data) as ReturnType<
    typeof sweepSpecSchema.safeParse
  >;
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => fromZod(issue, data));
    const refine = checkRefineUnparsed(
      data,
      issues.map((issue) => issue.path),
    );
    fail(fileName, doc, lineCounter, [...issues, ...refine]);
  }
  if (command) {
    const commandIssues = checkCommandGrid(parsed.data, maxCells);
    if (commandIssues.length === 0) commandIssues.push(...checkRefine(parsed.data));
    if (commandIssues.length > 0) fail(fileName, doc, lineCounter, commandIssues);
    return parsed.data;
  }
  if (parsed.data.command !== undefined)
    fail(fileName, doc, lineCounter, [
      { path: [COMMAND_METHOD], message: 'a command: section runs your own program: set method: command' },
    ]);
  const issues = checkGrid(parsed.data, maxCells);
  if (issues.length === 0) issues.push(...checkRefine(parsed.data));
  if (issues.length > 0) fail(fileName, doc, lineCounter, issues);
  return parsed.data;
}

// Identifies a spec by content: the same spec written with other key order, spacing or comments has
// the same hash. Defaults are filled in first, so leaving out a default changes nothing either.
export function specHash(spec: SweepSpec): string {
  return sha256Hex(canonicalJson(spec));
}
