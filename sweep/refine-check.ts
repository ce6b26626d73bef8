import { AXES } from './axes.ts';
import { axisWidth, isRefinableAxis } from './refine-axis.ts';
import type { SpecPath } from './spec-error.ts';
import type { SweepSpec } from './spec-schema.ts';
import { axisValues } from './values.ts';

// The refine section against the grid it refines: a grid axis with at least two values (a bracket
// needs two ends) and a resolution finer than the whole axis (else no round could ever run).
export function checkRefine(spec: SweepSpec): { path: SpecPath; message: string }[] {
  const { refine } = spec;
  if (refine === undefined) return [];
  const gridAxes = AXES.filter((axis) => spec.grid[axis] !== undefined && isRefinableAxis(axis));
  const expected = `expected a numeric grid axis with at least 2 values (grid axes here: ${gridAxes.join(', ') || 'none'})`;
  if (!isRefinableAxis(refine.axis)) {
    return [{ path: ['refine', 'axis'], message: `'${refine.axis}' cannot be refined; ${expected}` }];
  }
  const grid = spec.grid[refine.axis];
  if (grid === undefined) {
    return [{ path: ['refine', 'axis'], message: `'${refine.axis}' is not a grid axis; ${expected}` }];
  }
  // Numeric: isRefinableAxis checked the parameter's type.
  const values = axisValues(grid) as number[];
  if (values.length < 2) {
    return [
      { path: ['refine', 'axis'], message: `'${refine.axis}' has ${values.length} value; ${expected}` },
    ];
  }
  const width = axisWidth(values);
  if (refine.resolution >= width) {
    const units = values.every((v) => v > 0) ? ' (log10 units: the axis is refined in log space)' : '';
    return [
      {
        path: ['refine', 'resolution'],
        message: `expected a resolution below the axis's whole width ${Number(width.toPrecision(4))}${units}`,
      },
    ];
  }
  return [];
}
