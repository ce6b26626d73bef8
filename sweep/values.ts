// The value generators of a grid axis. Every generated value is rounded to 12 significant digits so
// that the same spec yields bit-identical numbers (and so identical cell keys) on every platform, and
// the endpoints of linspace/geomspace are the numbers written in the spec, exactly.

// Categorical parameters (a projection head, a similarity, a flag) take strings or booleans, listed.
export type AxisValue = number | string | boolean;

export type AxisValues =
  | AxisValue
  | AxisValue[]
  | { range: number[] } // [start, stop) with optional step (default 1), like Python's range
  | { linspace: number[] } // [start, stop, count], both ends included
  | { geomspace: number[] }; // [start, stop, count], both ends included, start and stop > 0

export const SIGNIFICANT_DIGITS = 12;

export function roundSignificant(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return 0; // also turns -0 into 0, which would print differently
  return Number(x.toPrecision(SIGNIFICANT_DIGITS));
}

// A relative slack so that e.g. range [0, 0.3, 0.1] has 3 values although 0.3 / 0.1 is 2.9999999999999996,
// and range [0, 3, 1] never grows a fourth value from rounding noise.
const RANGE_SLACK = 1e-9;

export function rangeLength(start: number, stop: number, step: number): number {
  const steps = (stop - start) / step;
  if (!Number.isFinite(steps)) return steps > 0 ? Infinity : 0;
  return Math.max(0, Math.ceil(steps - RANGE_SLACK * Math.max(1, Math.abs(steps))));
}

// How many values an axis has, computed from its description alone so that oversized grids are refused
// before anything is generated.
export function axisLength(values: AxisValues): number {
  if (typeof values !== 'object') return 1;
  if (Array.isArray(values)) return values.length;
  if ('range' in values) {
    const [start, stop, step = 1] = values.range;
    return rangeLength(start, stop, step);
  }
  if ('linspace' in values) return values.linspace[2];
  return values.geomspace[2];
}

export function linspace(start: number, stop: number, count: number): number[] {
  if (count === 1) return [start];
  return Array.from({ length: count }, (_, i) => {
    if (i === 0) return start;
    if (i === count - 1) return stop;
    const t = i / (count - 1);
    return roundSignificant(start * (1 - t) + stop * t);
  });
}

export function geomspace(start: number, stop: number, count: number): number[] {
  if (count === 1) return [start];
  const logStart = Math.log(start);
  const logStop = Math.log(stop);
  return Array.from({ length: count }, (_, i) => {
    if (i === 0) return start;
    if (i === count - 1) return stop;
    const t = i / (count - 1);
    return roundSignificant(Math.exp(logStart * (1 - t) + logStop * t));
  });
}

export function range(start: number, stop: number, step = 1): number[] {
  return Array.from({ length: rangeLength(start, stop, step) }, (_, i) => roundSignificant(start + i * step));
}

export function axisValues(values: AxisValues): AxisValue[] {
  if (typeof values !== 'object') return [values];
  if (Array.isArray(values)) return [...values];
  if ('range' in values) {
    const [start, stop, step = 1] = values.range;
    return range(start, stop, step);
  }
  if ('linspace' in values) {
    const [start, stop, count] = values.linspace;
    return linspace(start, stop, count);
  }
  const [start, stop, count] = values.geomspace;
  return geomspace(start, stop, count);
}
