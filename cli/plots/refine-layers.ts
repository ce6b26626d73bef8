import type { GridPoint } from '../../store/grid-points.ts';
import type { SliceBoundary } from '../views/boundary-fit.ts';
import type { GridSlice } from '../views/grid-slices.ts';
import { valueOf, type AxisValue, type ViewAxis } from '../views/view-axes.ts';
import { domainOf, edgesOf, position, type Edges } from './plot-axes.ts';

// What refine: adds to a panel, drawn for every --x, --y, --metric and --threshold: its rounds add axis
// values to some rows only, so along that axis each row's cells come from the row's own values (no
// gaps), ticks stay on the spec's grid values, and the added points are marked.

type Json = Record<string, unknown>;

const isGrid = (pt: GridPoint): boolean => pt.round === 0;

/**
 * The spec's grid values of an axis: refine: adds values between them, too close together to label.
 * A panel of refined points only (one a refined value splits off) labels all of its values.
 */
export function gridValues(axis: ViewAxis, points: GridPoint[]): AxisValue[] {
  if (!points.some(isGrid)) return axis.values;
  const grid = new Set(points.filter(isGrid).map((pt) => String(valueOf(pt, axis.name))));
  return axis.values.filter((v) => grid.has(String(v)));
}

/**
 * The axis refine: added values along in this panel, or null without refined points: the one it
 * scanned when the stored boundary says so, else the numeric axis with more values off the grid.
 */
export function refinedAlong(panel: GridSlice, boundary: SliceBoundary): 'x' | 'y' | null {
  if (panel.points.every(isGrid)) return null;
  if (boundary.refined && boundary.along !== null) return boundary.along;
  const added = (axis: ViewAxis): number =>
    axis.scale === 'category' ? -1 : axis.values.length - gridValues(axis, panel.points).length;
  const [x, y] = [added(panel.x), added(panel.y)];
  if (Math.max(x, y) <= 0) return null;
  return x >= y ? 'x' : 'y';
}

/** A cell's edges along a refined axis, from the values of its own row (or column): no gaps. */
export function lineEdges(panel: GridSlice, along: 'x' | 'y'): (pt: GridPoint) => Edges {
  const [scan, across] = along === 'x' ? [panel.x, panel.y] : [panel.y, panel.x];
  const [lo, hi] = domainOf(scan);
  const byLine = new Map<string, Map<string, Edges>>();
  for (const at of across.values) {
    const values = scan.values.filter((v) =>
      along === 'x' ? panel.at(v, at) !== undefined : panel.at(at, v) !== undefined,
    );
    const edges = edgesOf({ ...scan, values });
    if (edges.length > 0) [edges[0]!.lo, edges.at(-1)!.hi] = [lo, hi];
    byLine.set(String(at), new Map(values.map((v, i) => [String(v), edges[i]!])));
  }
  return (pt) => byLine.get(String(valueOf(pt, across.name)))!.get(String(valueOf(pt, scan.name)))!;
}

// A hollow white diamond over a wider dark one: the refined points show on dark cells and on the
// near-white cells at the threshold alike.
const DIAMOND = { type: 'point', shape: 'diamond', filled: false, size: 40, clip: true };

/** The points refine: added (round > 0), marked over the cells. */
export function refineLayers(panel: GridSlice, x: Json, y: Json): Json[] {
  const refinedPoints = panel.points
    .filter((pt) => !isGrid(pt))
    .map((pt) => ({
      x: position(panel.x, valueOf(pt, panel.x.name)),
      y: position(panel.y, valueOf(pt, panel.y.name)),
      round: pt.round,
      value: panel.value(valueOf(pt, panel.x.name), valueOf(pt, panel.y.name)),
    }));
  if (refinedPoints.length === 0) return [];
  const encoding = { x: { field: 'x', ...x }, y: { field: 'y', ...y } };
  return [
    {
      description: 'refined points outline',
      data: { values: refinedPoints },
      mark: { ...DIAMOND, color: '#1a1a1a', strokeWidth: 3.5 },
      encoding,
    },
    {
      description: 'refined points',
      data: { values: refinedPoints },
      mark: { ...DIAMOND, color: 'white', strokeWidth: 1.5 },
      encoding: {
        ...encoding,
        tooltip: [
          { field: 'x', title: panel.x.name },
          { field: 'y', title: panel.y.name },
          { field: 'round' },
          { field: 'value', title: `mean ${panel.metric}`, format: '.3f' },
        ],
      },
    },
  ];
}
