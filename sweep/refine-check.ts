import { COMMAND_METHOD } from '../trainer/index.ts';
import { AXES, RESULT_METRICS } from './axes.ts';
import { axisWidth, isRefinableAxis } from './refine-axis.ts';
import type { SpecPath } from './spec-error.ts';
import { sweepSpecSchema, type SweepSpec } from './spec-schema.ts';
import { axisLength, axisValues } from './values.ts';

type Grid = SweepSpec['grid'];
export interface RefineIssue {
  path: SpecPath;
  message: string;
}

// Past this many values an axis is not generated for a check: the grid-size check refuses it anyway.
const MAX_CHECKED_VALUES = 1_000_000;

const field = (object: unknown, key: string): unknown =>
  object !== null && typeof object === 'object' ? (object as Record<string, unknown>)[key] : undefined;

// A named axis against the grid: a numeric grid axis with at least two values (a bracket, or a pair of
// rows, needs two ends). Returns the axis's values, or the issue. A program's parameters (`byName`: the
// spec lists command.metrics) are its own: any grid axis whose values are all numbers can be refined.
const allNumbers = (values: Grid[keyof Grid]): boolean =>
  values !== undefined &&
  (axisLength(values) > MAX_CHECKED_VALUES || axisValues(values).every((v) => typeof v === 'number'));

function gridAxis(grid: Grid, name: string, path: SpecPath, byName: boolean): number[] | RefineIssue {
  const numeric = (axis: string): boolean =>
    byName ? axis !== 'seed' && allNumbers(grid[axis as keyof Grid]) : isRefinableAxis(axis);
  const names = byName ? Object.keys(grid) : AXES;
  const gridAxes = names.filter((axis) => grid[axis as keyof Grid] !== undefined && numeric(axis));
  const expected = `expected a numeric grid axis with at least 2 values (grid axes here: ${gridAxes.join(', ') || 'none'})`;
  if (grid[name as keyof Grid] === undefined && byName)
    return { path, message: `'${name}' is not a grid axis; ${expected}` };
  if (!numeric(name)) return { path, message: `'${name}' cannot be refined; ${expected}` };
  const values = grid[name as keyof Grid];
  if (values === undefined) return { path, message: `'${name}' is not a grid axis; ${expected}` };
  const length = axisLength(values);
  if (length < 2) return { path, message: `'${name}' has ${length} value; ${expected}` };
  if (length > MAX_CHECKED_VALUES) return [];
  // Numeric: isRefinableAxis checked the parameter's type, or allNumbers its values.
  return axisValues(values) as number[];
}

// The metric refine: bisects on: a built-in result metric, or for a user's program (`method: command`)
// one of the metrics its `command.metrics` lists, which every result of it carries.
function checkMetric(refine: unknown, listed: unknown): RefineIssue[] {
  const metric = field(refine, 'metric');
  if (typeof metric !== 'string') return [];
  const path = ['refine', 'metric'];
  if (Array.isArray(listed)) {
    return listed.includes(metric)
      ? []
      : [{ path, message: `expected one of the metrics command.metrics lists: ${listed.join(', ')}` }];
  }
  return (RESULT_METRICS as readonly string[]).includes(metric)
    ? []
    : [{ path, message: `expected a result metric: ${RESULT_METRICS.join(', ')}` }];
}

const listedMetrics = (data: unknown): unknown => field(field(data, COMMAND_METHOD), 'metrics');

// The refine section against the grid it refines: the axes it names, and a resolution finer than the
// whole axis (else no round could ever run), and the metric against the spec's method (`listed`: the
// spec's command.metrics, if it has them). Takes the section as written, so that it reports its
// problems beside those of a section the schema refused (a missing resolution hides nothing).
export function checkRefineSection(grid: Grid, refine: unknown, listed?: unknown): RefineIssue[] {
  const issues: RefineIssue[] = checkMetric(refine, listed);
  const axis = field(refine, 'axis');
  if (typeof axis === 'string') {
    const values = gridAxis(grid, axis, ['refine', 'axis'], Array.isArray(listed));
    const resolution = field(refine, 'resolution');
    if (!Array.isArray(values)) issues.push(values);
    else if (values.length > 0 && typeof resolution === 'number' && resolution > 0) {
      const width = axisWidth(values);
      if (resolution >= width) {
        const units = values.every((v) => v > 0) ? ' (log10 units: the axis is refined in log space)' : '';
        issues.push({
          path: ['refine', 'resolution'],
          message: `expected a resolution below the axis's whole width ${Number(width.toPrecision(4))}${units}`,
        });
      }
    }
  }
  const traceAxis = field(field(refine, 'trace'), 'axis');
  if (typeof traceAxis === 'string') {
    const path = ['refine', 'trace', 'axis'];
    if (traceAxis === axis) {
      issues.push({
        path,
        message: `'${traceAxis}' is the refined axis; expected another numeric grid axis`,
      });
    } else {
      const values = gridAxis(grid, traceAxis, path, Array.isArray(listed));
      if (!Array.isArray(values)) issues.push(values);
    }
  }
  return issues;
}

export function checkRefine(spec: SweepSpec): RefineIssue[] {
  return spec.refine === undefined ? [] : checkRefineSection(spec.grid, spec.refine, listedMetrics(spec));
}

// For a document the schema refused: the refine section's checks against the grid, when the grid
// itself parsed, less what the schema already reported at the same place.
export function checkRefineUnparsed(data: unknown, reported: SpecPath[]): RefineIssue[] {
  const refine = field(data, 'refine');
  if (refine === undefined) return [];
  const grid = sweepSpecSchema.shape.grid.safeParse(field(data, 'grid'));
  if (!grid.success) return [];
  const seen = new Set(reported.map((path) => path.join('\u0000')));
  return checkRefineSection(grid.data, refine, listedMetrics(data)).filter(
    (issue) => !seen.has(issue.path.join('\u0000')),
  );
}
