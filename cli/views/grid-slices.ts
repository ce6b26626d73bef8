import { methodOfPoint, metricOf, type GridPoint } from '../../store/grid-points.ts';
import { theoryLine, type TheoryFit } from '../../sweep/theory-lines.ts';
import { isResultMetric, methodNames, methodsWith, type MetricName } from '../../trainer/index.ts';
import { fmtNumber } from './format.ts';
import {
  axisOf,
  chooseAxes,
  valueOf,
  type AxisChoice,
  type AxisValue,
  type ViewAxis,
  type ViewAxisName,
} from './view-axes.ts';

// A sweep's grid points cut into two-dimensional slices (x and y any two parameters, one slice per
// combination of the other varying ones), the shape shared by the terminal heatmap, the plotted phase
// diagram and `show --json`.

export interface ViewOptions extends AxisChoice {
  metric: MetricName;
}

export interface GridSlice {
  /** e.g. "simclr  n_labels=4  d=200 q=3 p=0" */
  title: string;
  /** null when the method is itself an axis */
  method: string | null;
  facets: { axis: ViewAxisName; value: AxisValue }[];
  x: ViewAxis;
  y: ViewAxis;
  metric: MetricName;
  /** The theory's boundary size · SNR^exponent = c, where a paper gives one for these axes. */
  theory: TheoryFit | null;
  points: GridPoint[];
  at(x: AxisValue, y: AxisValue): GridPoint | undefined;
  /** seed-mean metric at a cell, null where there is none */
  value(x: AxisValue, y: AxisValue): number | null;
}

const CONTEXT: ViewAxisName[] = ['d', 'q', 'p'];
const cellKey = (x: AxisValue, y: AxisValue): string => `${String(x)}|${String(y)}`;

// A theory line needs one method, one q and one p across the slice: the theorems are stated for each,
// and for the built-in CNN's metrics only (a program's parameters are its own, whatever their names).
function theoryOf(
  method: string | null,
  x: ViewAxis,
  y: ViewAxis,
  points: GridPoint[],
  metric: MetricName,
): TheoryFit | null {
  if (method === null || points.length === 0 || !isResultMetric(metric)) return null;
  const params = points.flatMap((pt) => (pt.params === null ? [] : [pt.params]));
  if (params.length < points.length) return null;
  const single = (name: 'q' | 'p') => new Set(params.map((pt) => pt[name])).size === 1;
  const size = x.name === 'snr' ? y.name : y.name === 'snr' ? x.name : null;
  if (size === null || !single('q') || !single('p')) return null;
  const { q, p } = params[0]!;
  return theoryLine(method, size, q, p, metric);
}

const describe = (value: AxisValue): string =>
  typeof value === 'number' ? fmtNumber(value, 3) : String(value);

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return [...groups.values()];
}

function slicesOfMethod(points: GridPoint[], method: string | null, opts: ViewOptions): GridSlice[] {
  const { x: xName, y: yName, facets } = chooseAxes(points, method ?? '', opts);
  const facetAxes = facets.map((name) => axisOf(name, points));
  const rank = (pt: GridPoint): number[] =>
    facetAxes.map((axis) => axis.values.findIndex((v) => String(v) === String(valueOf(pt, axis.name))));
  return groupBy(points, (pt) => rank(pt).join('|'))
    .map((group) => {
      const x = axisOf(xName, group);
      const y = axisOf(yName, group);
      const byCell = new Map(group.map((pt) => [cellKey(valueOf(pt, xName), valueOf(pt, yName)), pt]));
      const facetValues = facets.map((axis) => ({ axis, value: valueOf(group[0]!, axis) }));
      // A program's points have none of the CNN's context parameters unless it names its own so.
      const context = CONTEXT.filter(
        (a) => a !== xName && a !== yName && !facets.includes(a) && valueOf(group[0]!, a) !== undefined,
      );
      const title = [
        method ?? '',
        facetValues.map((f) => `${f.axis}=${describe(f.value)}`).join(' '),
        context.map((a) => `${a}=${describe(valueOf(group[0]!, a))}`).join(' '),
      ]
        .filter(Boolean)
        .join('  ');
      const at = (xv: AxisValue, yv: AxisValue) => byCell.get(cellKey(xv, yv));
      const slice: GridSlice = {
        title,
        method,
        facets: facetValues,
        x,
        y,
        metric: opts.metric,
        theory: theoryOf(method, x, y, group, opts.metric),
        points: group,
        at,
        value: (xv, yv) => {
          const pt = at(xv, yv);
          return pt === undefined ? null : metricOf(pt, opts.metric).mean;
        },
      };
      return { slice, order: rank(group[0]!) };
    })
    .sort((a, b) => {
      for (let i = 0; i < a.order.length; i++)
        if (a.order[i] !== b.order[i]) return a.order[i]! - b.order[i]!;
      return 0;
    })
    .map((p) => p.slice);
}

/**
 * Slices in a stable order: per method (supervised first) unless the method is an axis, then by the
 * facet values in axis order.
 */
export function gridSlices(all: GridPoint[], opts: ViewOptions): GridSlice[] {
  const points = all.filter((pt) => carries(pt, opts.metric));
  if (points.length === 0) return [];
  const methodIsAxis = opts.x === 'method' || opts.y === 'method';
  const byMethod = methodIsAxis ? [points] : groupBy(points, methodOfPoint);
  const order = (group: GridPoint[]): number => (methodNames() as string[]).indexOf(methodOfPoint(group[0]!));
  return byMethod
    .sort((a, b) => order(a) - order(b))
    .flatMap((group) => slicesOfMethod(group, methodIsAxis ? null : methodOfPoint(group[0]!), opts));
}

// A built-in method's results carry what the method declares; a program's, the names they reported.
const carries = (pt: GridPoint, metric: MetricName): boolean =>
  pt.params === null
    ? pt.metrics[metric] !== undefined
    : isResultMetric(metric) && methodsWith(metric).includes(pt.params.method);

/**
 * The line that says which methods of the sweep have no panel because their results do not carry the
 * metric (a SimCLR-only metric on a sweep of both methods); null when every method is drawn.
 */
export function omittedMethodsNote(points: GridPoint[], metric: MetricName): string | null {
  if (!isResultMetric(metric)) return null;
  const methods = [
    ...new Set(points.filter((pt) => pt.params !== null && !carries(pt, metric)).map(methodOfPoint)),
  ];
  if (methods.length === 0) return null;
  const has = methodsWith(metric).join(' and ');
  return `no ${methods.join(' or ')} panel: ${metric} is measured for ${has} only`;
}
