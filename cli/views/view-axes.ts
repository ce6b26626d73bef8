import type { GridPoint } from '../../store/grid-points.ts';
import { effectiveValue, type GridParams } from '../../sweep/axes.ts';
import { axisScale } from '../../sweep/refine-plan.ts';
import { PARAM_NAMES, RESULT_METRICS, type ResultMetric } from '../../trainer/index.ts';
import { BadInputError } from '../exit.ts';

// The axes a view can draw, split panels by, or pick a metric from: every trainer parameter but the
// seed (seeds are averaged), and every result metric. Both lists follow the trainer, so a parameter or
// metric added there is drawable without a change here.
export const VIEW_AXES = PARAM_NAMES.filter((name) => name !== 'seed') as (keyof GridParams)[];
export type ViewAxisName = (typeof VIEW_AXES)[number];

export type AxisValue = number | string | boolean;

/** An axis as drawn: its values in order (numbers ascending, others as text), and how it is spaced. */
export interface ViewAxis {
  name: ViewAxisName;
  values: AxisValue[];
  scale: 'log' | 'linear' | 'category';
}

// The value the point ran at: an optional parameter left out (head_dim, pretrain_batch) shows the
// value it defaults to, never a placeholder, so a numeric axis stays numeric.
export const valueOf = (pt: GridPoint, axis: ViewAxisName): AxisValue => effectiveValue(pt.params, axis);

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
  return VIEW_AXES.filter(
    (axis) => distinct((pt) => valueOf(pt, axis)) > 1 && distinct((pt) => pt.params[axis]) > 1,
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
  const first = (preferred: ViewAxisName, not: ViewAxisName | undefined): ViewAxisName =>
    [...(varying.includes(preferred) ? [preferred] : []), ...varying, preferred, ...VIEW_AXES].find(
      (a) => a !== not && a !== 'method',
    )!;
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

function axisName(option: string, value: string): ViewAxisName {
  if ((VIEW_AXES as string[]).includes(value)) return value as ViewAxisName;
  throw new BadInputError(`${option} ${value}: unknown axis; expected one of ${VIEW_AXES.join(', ')}`);
}

/** The axes and metric named on the command line, checked against the trainer's lists (bad input: exit 2). */
export function viewChoice(raw: RawDrawOptions): AxisChoice & { metric: ResultMetric } {
  const metric = raw.metric ?? 'test_error';
  if (!(RESULT_METRICS as readonly string[]).includes(metric)) {
    throw new BadInputError(
      `--metric ${metric}: unknown metric; expected one of ${RESULT_METRICS.join(', ')}`,
    );
  }
  const x = raw.x === undefined ? undefined : axisName('--x', raw.x);
  const y = raw.y === undefined ? undefined : axisName('--y', raw.y);
  if (x !== undefined && x === y)
    throw new BadInputError(`--x and --y are both '${x}': draw two different axes`);
  const facet = raw.facet?.flatMap((list) => list.split(',').map((name) => axisName('--facet', name.trim())));
  return { x, y, facet, metric: metric as ResultMetric };
}
