// The bracket planner of `refine:` (README "Refining the boundary"): where a group's seed-mean metric
// crosses the threshold along the refined axis, and which axis values the next round adds there.
// Pure: the same observations always give the same plan, which is what lets a retried or replayed
// round register exactly the cells an uninterrupted one would.
import { interpolateCrossing, isAbove, type CrossingScale } from './crossing-interval.ts';
import { mean } from './stats.ts';
import { roundSignificant } from './values.ts';

export const BOUNDARY_KINDS = ['crossing', 'non_monotone', 'all_above', 'all_below', 'no_data'] as const;
export type BoundaryKind = (typeof BOUNDARY_KINDS)[number];

export type AxisScale = CrossingScale;

export interface RefineSettings {
  threshold: number;
  // Bracket width at which refinement stops: log10 units on a log axis, axis units otherwise.
  resolution: number;
  // New axis values per open bracket per round.
  points: number;
  scale: AxisScale;
  // Whole-number axes get rounded new values and close once no whole number lies inside.
  integer: boolean;
}

// One cell's outcome: its value on the refined axis and its metric (null: no result, or diverged).
export interface Observation {
  value: number;
  metric: number | null;
}

export interface AxisMean {
  value: number;
  mean: number;
  seeds: number;
}

export interface Bracket {
  low: number;
  high: number;
  lowMean: number;
  highMean: number;
  // Where the mean reaches the threshold, interpolated between the ends (in log space on a log axis).
  crossing: number;
  width: number;
  // Still wider than the resolution and splittable: the next round adds values inside it.
  open: boolean;
}

export interface GroupPlan {
  kind: BoundaryKind;
  brackets: Bracket[];
  newValues: number[];
  // The axis range that has a mean, for "no boundary in range" reports.
  range: [number, number] | null;
}

// Refined in log space when every value of the axis is positive, as geomspace grids are.
export function axisScale(values: number[]): AxisScale {
  return values.length > 0 && values.every((v) => v > 0) ? 'log' : 'linear';
}

export function bracketWidth(low: number, high: number, scale: AxisScale): number {
  return scale === 'log' ? Math.log10(high / low) : high - low;
}

// Seed means per axis value, in axis order; values without any metric are left out.
export function axisMeans(observations: Observation[]): AxisMean[] {
  const byValue = new Map<number, number[]>();
  for (const o of observations) {
    const metrics = byValue.get(o.value) ?? [];
    if (o.metric !== null && Number.isFinite(o.metric)) metrics.push(o.metric);
    byValue.set(o.value, metrics);
  }
  return [...byValue.entries()]
    .filter(([, metrics]) => metrics.length > 0)
    .map(([value, metrics]) => ({ value, mean: mean(metrics), seeds: metrics.length }))
    .sort((a, b) => a.value - b.value);
}

// The crossing engine's interpolation, rounded as axis values are so that a crossing prints and keys
// the same everywhere.
function crossingAt(lo: AxisMean, hi: AxisMean, threshold: number, scale: AxisScale): number {
  const at = interpolateCrossing(
    { at: lo.value, value: lo.mean },
    { at: hi.value, value: hi.mean },
    threshold,
    scale,
  );
  return roundSignificant(at);
}

// `count` values evenly spaced strictly inside (low, high): geometrically on a log axis.
export function innerValues(low: number, high: number, count: number, scale: AxisScale, integer: boolean) {
  const values: number[] = [];
  for (let k = 1; k <= count; k++) {
    const t = k / (count + 1);
    const raw = scale === 'log' ? low * (high / low) ** t : low + t * (high - low);
    const value = integer ? Math.round(raw) : roundSignificant(raw);
    if (value > low && value < high && !values.includes(value)) values.push(value);
  }
  return values;
}

export function planGroup(observations: Observation[], settings: RefineSettings): GroupPlan {
  const { threshold, resolution, points, scale, integer } = settings;
  const means = axisMeans(observations);
  if (means.length === 0) return { kind: 'no_data', brackets: [], newValues: [], range: null };
  const range: [number, number] = [means[0].value, means[means.length - 1].value];
  const brackets: Bracket[] = [];
  for (let i = 1; i < means.length; i++) {
    const lo = means[i - 1];
    const hi = means[i];
    if (isAbove(lo.mean, threshold) === isAbove(hi.mean, threshold)) continue;
    const width = bracketWidth(lo.value, hi.value, scale);
    const inner = innerValues(lo.value, hi.value, points, scale, integer);
    brackets.push({
      low: lo.value,
      high: hi.value,
      lowMean: lo.mean,
      highMean: hi.mean,
      crossing: crossingAt(lo, hi, threshold, scale),
      width,
      open: width > resolution && inner.length > 0,
    });
  }
  const newValues = brackets
    .filter((b) => b.open)
    .flatMap((b) => innerValues(b.low, b.high, points, scale, integer));
  const kind: BoundaryKind =
    brackets.length > 1
      ? 'non_monotone'
      : brackets.length === 1
        ? 'crossing'
        : isAbove(means[0].mean, threshold)
          ? 'all_above'
          : 'all_below';
  return { kind, brackets, newValues, range };
}
