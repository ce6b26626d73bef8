import type { AxisValue, ViewAxis } from '../views/view-axes.ts';

// Axes of the plotted panels. Any sorted values work, evenly spaced or not: a cell spans from the
// midpoint with its lower neighbour to the midpoint with its upper one (geometric midpoints on a log
// axis), the outer cells mirrored. Categorical values are drawn at positions 0, 1, 2, ... and labelled
// with their names.

type Json = Record<string, unknown>;

export interface Edges {
  lo: number;
  hi: number;
}

/** Cell edges on a log axis: geometric midpoints between grid values, the ends mirrored outwards. */
export function logEdges(values: number[]): Edges[] {
  return values.map((v, i) => {
    const prev = values[i - 1];
    const next = values[i + 1];
    const ratioDown =
      prev !== undefined ? Math.sqrt(v / prev) : next !== undefined ? Math.sqrt(next / v) : 1.25;
    const ratioUp = next !== undefined ? Math.sqrt(next / v) : ratioDown;
    return { lo: v / ratioDown, hi: v * ratioUp };
  });
}

/** Cell edges on a linear axis: arithmetic midpoints, the ends mirrored (±0.5 for a lone value). */
export function linearEdges(values: number[]): Edges[] {
  return values.map((v, i) => {
    const prev = values[i - 1];
    const next = values[i + 1];
    const down = prev !== undefined ? (v - prev) / 2 : next !== undefined ? (next - v) / 2 : 0.5;
    const up = next !== undefined ? (next - v) / 2 : down;
    return { lo: v - down, hi: v + up };
  });
}

/** Where a value sits on the drawn axis: itself for a numeric axis, its index for a categorical one. */
export function position(axis: ViewAxis, value: AxisValue): number {
  return axis.scale === 'category'
    ? axis.values.findIndex((v) => String(v) === String(value))
    : (value as number);
}

export function edgesOf(axis: ViewAxis): Edges[] {
  if (axis.scale === 'category') return axis.values.map((_, i) => ({ lo: i - 0.5, hi: i + 0.5 }));
  const values = axis.values as number[];
  return axis.scale === 'log' ? logEdges(values) : linearEdges(values);
}

export function domainOf(axis: ViewAxis): [number, number] {
  const edges = edgesOf(axis);
  return [edges[0]!.lo, edges.at(-1)!.hi];
}

const TITLES: Record<string, string> = { snr: 'SNR', n_labels: 'n (labels)', n_unlabeled: 'n0 (unlabeled)' };
export const axisTitle = (name: string): string => TITLES[name] ?? name;

// The plot area of a panel, in pixels: tick labels are spaced for it.
export const PANEL = { width: 260, height: 220 };

// Tick labels never overlap: Vega would hide overlapping ones (opacity 0) at random, so the ticks are
// chosen here instead, the first and last always, others where they keep a label's room from their
// neighbours. Labels turn diagonal when more than a few would not fit level. Whole numbers print as
// they are, others with two significant digits (geomspace values are long).
const LEVEL_LABELS_MAX = 6;
const LABEL_HEIGHT = 13;
const CHAR_WIDTH = 6.5;

function axisLabels(count: number, orient: 'x' | 'y'): Json {
  return {
    grid: false,
    labelFlush: false,
    labelOverlap: false,
    ...(orient === 'x' && count > LEVEL_LABELS_MAX
      ? { labelAngle: -45, labelAlign: 'right', labelBaseline: 'middle' }
      : {}),
  };
}

/** Where a tick sits along the axis, from 0 to 1. */
function fraction(axis: ViewAxis, value: number, [lo, hi]: [number, number]): number {
  return axis.scale === 'log' ? Math.log(value / lo) / Math.log(hi / lo) : (value - lo) / (hi - lo);
}

/**
 * Which of the candidate values (indices into the axis's values) to label: greedily from the first,
 * each at least a label's room past the last one kept, the last candidate always (dropping kept ones
 * too close to it).
 */
export function spacedTicks(
  axis: ViewAxis,
  orient: 'x' | 'y',
  candidates: number[],
  label: (i: number) => string,
): number[] {
  const domain = domainOf(axis);
  const length = orient === 'x' ? PANEL.width : PANEL.height;
  const level = orient === 'y' || candidates.length <= LEVEL_LABELS_MAX;
  const room = (i: number, j: number): number =>
    orient === 'x' && level ? ((label(i).length + label(j).length) / 2) * CHAR_WIDTH + 6 : LABEL_HEIGHT;
  const at = (i: number): number =>
    axis.scale === 'category'
      ? (i + 0.5) / axis.values.length
      : fraction(axis, axis.values[i] as number, domain);
  const apart = (i: number, j: number): boolean => (at(j) - at(i)) * length >= room(i, j);
  const kept: number[] = [];
  for (const i of candidates) {
    const last = kept.at(-1);
    if (last === undefined || apart(last, i)) kept.push(i);
  }
  const end = candidates.at(-1);
  if (end !== undefined && kept.at(-1) !== end) {
    while (kept.length > 0 && !apart(kept.at(-1)!, end)) kept.pop();
    kept.push(end);
  }
  return kept;
}

const numberFormat = (values: number[]): string => (values.every(Number.isInteger) ? '~g' : '.2~r');

/**
 * A Vega-Lite positional encoding (type, scale, axis) for a panel axis drawn along `orient`; only
 * `labelled` values (default all: a refined axis passes its grid values) are candidates for a tick.
 */
export function axisEncoding(
  axis: ViewAxis,
  orient: 'x' | 'y',
  opts: { title?: string; labelled?: AxisValue[] } = {},
): Json {
  const title = opts.title ?? axisTitle(axis.name);
  const domain = domainOf(axis);
  const labelled = new Set((opts.labelled ?? axis.values).map(String));
  const candidates = axis.values.flatMap((v, i) => (labelled.has(String(v)) ? [i] : []));
  if (axis.scale === 'category') {
    const names = axis.values.map(String);
    const ticks = spacedTicks(axis, orient, candidates, (i) => names[i]!);
    return {
      type: 'quantitative',
      scale: { type: 'linear', domain, nice: false, zero: false },
      axis: {
        title,
        values: ticks,
        labelExpr: `${JSON.stringify(names)}[datum.value]`,
        ...axisLabels(ticks.length, orient),
      },
    };
  }
  const values = axis.values as number[];
  const format = numberFormat(candidates.map((i) => values[i]!));
  const ticks = spacedTicks(axis, orient, candidates, (i) => formatTick(values[i]!, format));
  return {
    type: 'quantitative',
    // `zero` has no meaning on a log scale, and vega-lite warns on stderr when it is set there.
    scale: { type: axis.scale, domain, nice: false, ...(axis.scale === 'log' ? {} : { zero: false }) },
    axis: {
      title,
      values: ticks.map((i) => values[i]),
      format,
      ...axisLabels(ticks.length, orient),
    },
  };
}

// The label a tick gets, as d3-format prints it with `format`, near enough to size it.
function formatTick(value: number, format: string): string {
  return format === '~g' ? String(value) : String(Number(value.toPrecision(2)));
}

/** A numeric axis over values, log-spaced: the shape of the SNR and sample-size axes of the extra panels. */
export const logAxisOf = (name: string, values: number[]): ViewAxis =>
  ({ name, values, scale: 'log' }) as ViewAxis;
