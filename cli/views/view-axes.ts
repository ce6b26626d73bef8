import type { GridPoint } from '../../store/grid-points.ts';
import { effectiveValue, type GridParams } from '../../sweep/axes.ts';
import { axisScale } from '../../sweep/refine-plan.ts';
import { PARAM_NAMES, type MetricName } from '../../trainer/index.ts';
import { BadInputError } from '../exit.ts';

// The axes a view can draw, split panels by, or pick a metric from: every trainer parameter but the
// seed (seeds are averaged), and every result metric. Both lists follow the trainer, so a parameter or
// metric added there is drawable without a change here. A user's program (`method: command`) names its
// own parameters: its points' axes are the names they carry (axesOf).
export const VIEW_AXES = PARAM_NAMES.filter((name) => name !== 'seed') as (keyof GridParams)[];
export type ViewAxisName = string;

export type AxisValue = number | string | boolean;

/** An axis as drawn: its values in order (numbers ascending, others as text), and how it is spaced. */
export interface ViewAxis {
  name: ViewAxisName;
  values: AxisValue[];
  scale: 'log' | 'linear' | 'category';
}

// The value the point ran at: an optional parameter left out (head_dim, pretrain_batch) shows the
// value it defaults to, never a placeholder, so a numeric axis stays numeric.
export const valueOf = (pt: GridPoint, axis: ViewAxisName): AxisValue =>
  pt.params === null ? pt.values[axis] : effectiveValue(pt.params, axis as keyof GridParams);

// The value as stored: an optional parameter left out is undefined here.
const storedValue = (pt: GridPoint, axis: ViewAxisName): unknown =>
  pt.params === null ? pt.values[axis] : pt.params[axis as keyof GridParams];

/** The parameters the points can be drawn over: the trainer's, or those a program's points carry. */
export function axesOf(points: GridPoint[]): ViewAxisName[] {
  if (points.every((pt) => pt.params !== null)) return VIEW_AXES;
  const names = new Set(points.flatMap((pt) => (pt.params === null ? Object.keys(pt.values) : VIEW_AXES)));
  return [...names];
}

export function axisOf(name: ViewAxisName, points: GridPoint[]): ViewAxis {
  const values = [...new Map(points.map((pt) => [String(valueOf(pt, name)), valueOf(pt, name)])).values()];
  if (values.every((v): v is number => typeof v === 'number')) {
    values.sort((a, b) => (a as number) - (b as number));
    return { name, values, scale: axisScale(values as number[]) };
  }
  return { name, values: values.sort((a, b) => String(a).localeCompare(String(b))), scale: 'category' };
}

// A parameter varies when the values points ran at differ, and not only through the parameter a left-out
// default follows: pretrain_batch left out follows n_unlabeled, but is no axis of its own.
export function varyingAxes(points: GridPoint[]): ViewAxisName[] {
  const distinct = (value: (pt: GridPoint) => unknown): number =>
    new Set(points.map((pt) => String(value(pt)))).size;
  return axesOf(points).filter(
    (axis) => distinct((pt) => valueOf(pt, axis)) > 1 && distinct((pt) => storedValue(pt, axis)) > 1,
  );
}

export interface AxisChoice {
  x?: ViewAxisName;
  y?: ViewAxisName;
  facet?: ViewAxisName[];
}

// The sample size a method's theory is about (paper-spec 4.x): the natural y axis against SNR.
const SIZE_AXIS: Record<string, ViewAxisName> = { simclr: 'n_unlabeled' };
const sizeAxisOf = (method: string): ViewAxisName => SIZE_AXIS[method] ?? 'n_labels';

/**
 * The axes of one method's panels. By default x is SNR when it varies, y the method's sample size
 * when it varies, otherwise the first varying parameters; every other varying parameter splits the
 * panels (named facets first, in their order), so no two grid points ever share a cell.
 */
export function chooseAxes(
  points: GridPoint[],
  method: string,
  choice: AxisChoice,
): { x: ViewAxisName; y: ViewAxisName; facets: ViewAxisName[] } {
  const varying: ViewAxisName[] = varyingAxes(points).filter((axis) => axis !== 'method');
  const size = sizeAxisOf(method);
  const known = axesOf(points);
  // A program's points lack the built-in sample sizes; with one parameter of its own, its single row is
  // the method's.
  const first = (preferred: ViewAxisName, not: ViewAxisName | undefined): ViewAxisName =>
    [
      ...(varying.includes(preferred) ? [preferred] : []),
      ...varying,
      ...(known.includes(preferred) ? [preferred] : []),
      ...known,
    ].find((a) => a !== not && a !== 'method') ?? 'method';
  const x = choice.x ?? first('snr', choice.y);
  const y = choice.y ?? first(size, x);
  // The method is never a facet: panels are split per method unless it is drawn.
  const facets = [...new Set([...(choice.facet ?? []), ...varying])].filter(
    (a) => a !== x && a !== y && a !== 'method',
  );
  return { x, y, facets };
}

export interface RawDrawOptions {
  x?: string;
  y?: string;
  facet?: string[];
  metric?: string;
}

/**
 * The axes and metric named on the command line. Names are checked against the sweep once its points
 * are read (checkAxes, cli/views/metric-choice.ts): a program's parameters and metrics have any names.
 */
export function viewChoice(raw: RawDrawOptions): AxisChoice & { metric?: MetricName } {
  if (raw.x !== undefined && raw.x === raw.y)
    throw new BadInputError(`--x and --y are both '${raw.x}': draw two different axes`);
  const facet = raw.facet?.flatMap((list) => list.split(',').map((name) => name.trim()));
  return { x: raw.x, y: raw.y, facet, metric: raw.metric };
}

/** Every axis named is one the sweep's points can be drawn over (bad input: exit 2). */
export function checkAxes(points: GridPoint[], choice: AxisChoice): void {
  const known = axesOf(points);
  const check = (option: string, value: string | undefined): void => {
    if (value !== undefined && !known.includes(value))
      throw new BadInputError(`${option} ${value}: unknown axis; expected one of ${known.join(', ')}`);
  };
  check('--x', choice.x);
  check('--y', choice.y);
  for (const name of choice.facet ?? []) check('--facet', name);
}
