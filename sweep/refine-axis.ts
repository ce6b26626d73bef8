import { z } from 'zod';
import { paramShape } from '../trainer/index.ts';
import { NUMERIC_AXES, type Axis } from './axes.ts';
import { axisScale, bracketWidth, type RefineSettings } from './refine-plan.ts';
import type { TraceSettings } from './refine-trace.ts';
import type { RefineSpec } from './refine-schema.ts';
import type { SweepSpec } from './spec-schema.ts';
import { axisValues } from './values.ts';

// A program's parameter (`method: command`) has no schema here: its values are taken as real numbers.
function numberSchema(axis: Axis): z.ZodNumber | undefined {
  const schema = (paramShape as Partial<typeof paramShape>)[axis]?.unwrap();
  return schema instanceof z.ZodNumber ? schema : undefined;
}

// A numeric trainer parameter other than the seed (the seed is what a group's mean averages over).
export function isRefinableAxis(name: string): name is Axis {
  return (NUMERIC_AXES as readonly string[]).includes(name);
}

export function isWholeNumberAxis(axis: Axis): boolean {
  return numberSchema(axis)?.isInt === true;
}

// The planner's settings for a spec whose refine section passed checkRefine.
export function refineSettings(spec: SweepSpec & { refine: RefineSpec }): RefineSettings & { axis: Axis } {
  const axis = spec.refine.axis as Axis;
  const values = axisValues(spec.grid[axis]!) as number[];
  return {
    axis,
    threshold: spec.refine.threshold,
    resolution: spec.refine.resolution,
    points: spec.refine.points,
    scale: axisScale(values),
    integer: isWholeNumberAxis(axis),
  };
}

// The row planner's settings when the refine section traces a second axis.
export function traceSettings(
  spec: SweepSpec & { refine: RefineSpec },
): (TraceSettings & { axis: Axis }) | undefined {
  const { trace } = spec.refine;
  if (!trace) return undefined;
  const axis = trace.axis as Axis;
  const refined = refineSettings(spec);
  return {
    axis,
    resolution: trace.resolution,
    rowScale: axisScale(axisValues(spec.grid[axis]!) as number[]),
    rowInteger: isWholeNumberAxis(axis),
    scale: refined.scale,
    integer: refined.integer,
    bracket: refined.resolution,
  };
}

// The width of the whole grid along the axis, in the units of `resolution`.
export function axisWidth(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return bracketWidth(sorted[0], sorted[sorted.length - 1], axisScale(sorted));
}
