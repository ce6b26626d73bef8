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

// Every grid value gets a tick label: none is dropped for overlap (Vega hides overlapping labels with
// opacity 0), so labels turn diagonal when a row of them would not fit level. Whole numbers print as
// they are, others with two significant digits (geomspace values are long).
const LEVEL_LABELS_MAX = 6;

function axisLabels(count: number): Json {
  return {
    grid: false,
    labelFlush: false,
    labelOverlap: false,
    ...(count > LEVEL_LABELS_MAX ? { labelAngle: -45, labelAlign: 'right', labelBaseline: 'middle' } : {}),
  };
}

/** A Vega-Lite positional encoding (type, scale, axis) for a panel axis. */
export function axisEncoding(axis: ViewAxis, title = axisTitle(axis.name)): Json {
  const domain = domainOf(axis);
  if (axis.scale === 'category') {
    const names = JSON.stringify(axis.values.map(String));
    return {
      type: 'quantitative',
      scale: { type: 'linear', domain, nice: false, zero: false },
      axis: {
        title,
        values: axis.values.map((_, i) => i),
        labelExpr: `${names}[datum.value]`,
        ...axisLabels(axis.values.length),
      },
    };
  }
  const values = axis.values as number[];
  return {
    type: 'quantitative',
    // `zero` has no meaning on a log scale, and vega-lite warns on stderr when it is set there.
    scale: { type: axis.scale, domain, nice: false, ...(axis.scale === 'log' ? {} : { zero: false }) },
    axis: {
      title,
      values,
      format: values.every(Number.isInteger) ? '~g' : '.2~r',
      ...axisLabels(values.length),
    },
  };
}

/** A numeric axis over values, log-spaced: the shape of the SNR and sample-size axes of the extra panels. */
export const logAxisOf = (name: string, values: number[]): ViewAxis =>
  ({ name, values, scale: 'log' }) as ViewAxis;
