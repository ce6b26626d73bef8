import type { SliceBoundary } from '../views/boundary-fit.ts';
import type { GridSlice } from '../views/grid-slices.ts';
import { position } from './plot-axes.ts';

// The boundary of a panel as a curve: a polyline through the crossings of its rows (or columns), in
// order along the other axis, with the stored 95% intervals over seeds as a shaded band around it. A
// row without a crossing breaks the curve (nothing is known between its neighbours), and so does a
// non-monotone row: its first crossing is drawn, marked, but it is no more part of the curve than of
// the slope fit. Rows refine.trace added are hollow, the grid's filled. A row whose interval has no
// neighbour to make a band with keeps an error bar.

type Json = Record<string, unknown>;

export const ROW_KINDS = ['grid', 'traced'] as const;
export type RowKind = (typeof ROW_KINDS)[number];

const FILL: Record<RowKind, string> = { grid: 'black', traced: 'white' };
const SHAPE = { monotone: 'circle', nonMonotone: 'cross' } as const;
const NON_MONOTONE = `datum.shape === '${SHAPE.nonMonotone}'`;

export interface CurvePoint {
  // Where the row sits across the scanned axis (its value, or its index on a categorical axis).
  at: number;
  label: string;
  crossing: number;
  lo: number | null;
  hi: number | null;
  row: RowKind;
  monotone: boolean;
  // Rows of one unbroken stretch of the curve share it; null off the curve (non-monotone rows).
  segment: number | null;
  // Rows of one unbroken stretch of the band (the curve's, with an interval at every row).
  band: number | null;
}

/** The crossings of a panel's rows in order along the other axis, each placed on its stretch of curve. */
export function curvePoints(panel: GridSlice, boundary: SliceBoundary): CurvePoint[] {
  if (boundary.along === null) return [];
  const across = boundary.along === 'x' ? panel.y : panel.x;
  // Categorical rows have no order a curve could follow: each is a point of its own.
  const curved = across.scale !== 'category';
  const points: CurvePoint[] = [];
  let segment = 0;
  let band = 0;
  const lines = [...boundary.lines].sort((a, b) => position(across, a.at) - position(across, b.at));
  for (const l of lines) {
    const monotone = l.crossings === 1;
    if (l.crossing === null || !monotone || !curved) segment++;
    if (l.crossing === null || !monotone || !curved || l.ci95 === null) band++;
    if (l.crossing === null) continue;
    points.push({
      at: position(across, l.at),
      label: String(l.at),
      crossing: l.crossing,
      lo: l.ci95?.[0] ?? null,
      hi: l.ci95?.[1] ?? null,
      row: l.traced ? 'traced' : 'grid',
      monotone,
      segment: monotone && curved ? segment : null,
      band: monotone && curved && l.ci95 !== null ? band : null,
    });
  }
  return points;
}

const sizeOf = (points: CurvePoint[], key: 'segment' | 'band', id: number | null): number =>
  id === null ? 0 : points.filter((p) => p[key] === id).length;

export interface BoundaryLayers {
  layers: Json[];
  // What the panel's key has to explain.
  band: boolean;
  bars: boolean;
  traced: boolean;
  nonMonotone: boolean;
}

/**
 * The layers of the boundary: the band, the curve, the error bars of lone intervals and the row
 * markers, with x and y the panel's positional encodings (so that --x and --y swap them as the cells).
 */
export function boundaryLayers(panel: GridSlice, boundary: SliceBoundary, x: Json, y: Json): BoundaryLayers {
  const points = curvePoints(panel, boundary);
  const none = { layers: [], band: false, bars: false, traced: false, nonMonotone: false };
  if (points.length === 0 || boundary.along === null) return none;
  // The crossing is drawn along the scanned axis, the row's place along the other.
  const [scan, across] = boundary.along === 'x' ? (['x', 'y'] as const) : (['y', 'x'] as const);
  const enc = { x, y };
  const rowTitle = boundary.along === 'x' ? panel.y.name : panel.x.name;
  const crossingTitle = `${(boundary.along === 'x' ? panel.x : panel.y).name}*`;
  const banded = points.filter((p) => sizeOf(points, 'band', p.band) >= 2);
  const lone = points.filter((p) => p.lo !== null && sizeOf(points, 'band', p.band) < 2);
  const curve = points.filter((p) => sizeOf(points, 'segment', p.segment) >= 2);
  const layers: Json[] = [];
  if (banded.length > 0) {
    layers.push({
      description: 'boundary band',
      data: { values: banded },
      mark: {
        type: 'area',
        orient: boundary.along === 'x' ? 'horizontal' : 'vertical',
        fill: 'black',
        fillOpacity: 0.3,
        // Outlined, so that a band narrower than the markers still shows its ends.
        stroke: 'black',
        strokeWidth: 0.8,
        strokeOpacity: 0.9,
        clip: true,
      },
      encoding: {
        [scan]: { field: 'lo', ...enc[scan] },
        [`${scan}2`]: { field: 'hi' },
        [across]: { field: 'at', ...enc[across] },
        detail: { field: 'band', type: 'nominal' },
      },
    });
  }
  if (curve.length > 0) {
    layers.push({
      description: 'boundary',
      data: { values: curve },
      mark: { type: 'line', color: 'black', strokeWidth: 1.5, clip: true },
      encoding: {
        [scan]: { field: 'crossing', ...enc[scan] },
        [across]: { field: 'at', ...enc[across] },
        detail: { field: 'segment', type: 'nominal' },
        order: { field: 'at' },
      },
    });
  }
  if (lone.length > 0) {
    layers.push({
      description: 'intervals',
      data: { values: lone },
      mark: { type: 'errorbar', ticks: true, color: 'black', thickness: 1.5, clip: true },
      encoding: {
        [scan]: { field: 'lo', ...enc[scan] },
        [`${scan}2`]: { field: 'hi' },
        [across]: { field: 'at', ...enc[across] },
      },
    });
  }
  layers.push({
    description: 'boundary rows',
    data: {
      values: points.map((p) => ({
        ...p,
        fill: FILL[p.row],
        shape: p.monotone ? SHAPE.monotone : SHAPE.nonMonotone,
      })),
    },
    // A hollow marker is white inside, so the curve does not run through it.
    mark: { type: 'point', filled: true, stroke: 'black', strokeWidth: 1.5, clip: true },
    encoding: {
      [scan]: { field: 'crossing', ...enc[scan] },
      [across]: { field: 'at', ...enc[across] },
      fill: { field: 'fill', type: 'nominal', scale: null, legend: null },
      shape: { field: 'shape', type: 'nominal', scale: null, legend: null },
      // Non-monotone rows are a ×, larger than a dot: its arms are thin.
      angle: { condition: { test: NON_MONOTONE, value: 45 }, value: 0 },
      size: { condition: { test: NON_MONOTONE, value: 130 }, value: 45 },
      tooltip: [
        { field: 'label', title: rowTitle },
        { field: 'row', title: 'row' },
        { field: 'crossing', title: crossingTitle, format: '.4~g' },
        { field: 'lo', title: '95% CI from', format: '.4~g' },
        { field: 'hi', title: 'to', format: '.4~g' },
        { field: 'monotone' },
      ],
    },
  });
  return {
    layers,
    band: banded.length > 0,
    bars: lone.length > 0,
    traced: points.some((p) => p.row === 'traced'),
    nonMonotone: points.some((p) => !p.monotone),
  };
}
