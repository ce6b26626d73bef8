import type { TopLevelSpec } from 'vega-lite';
import type { BoundaryRecord } from '../../store/boundaries.ts';
import { methodOfPoint, metricOf, type GridPoint } from '../../store/grid-points.ts';
import { METHOD, methodOf, metricProperties } from '../../trainer/index.ts';
import { sliceBoundary, type SliceBoundary } from '../views/boundary-fit.ts';
import { fmtNumber } from '../views/format.ts';
import { DEFAULT_DRAW, omittedPanels, type DrawOptions } from '../views/heatmap.ts';
import { gridSlices, type GridSlice } from '../views/grid-slices.ts';
import { compareTheory } from '../views/theory-compare.ts';
import { valueOf, type ViewAxis } from '../views/view-axes.ts';
import { labelComplexity, simclrGain, TARGET_ERROR, type GainPoint } from './label-complexity.ts';
import { axisEncoding, domainOf, edgesOf, logAxisOf, PANEL } from './plot-axes.ts';
import { boundaryLayers, type BoundaryLayers } from './boundary-layers.ts';
import { gridValues, lineEdges, refinedAlong, refineLayers } from './refine-layers.ts';

// Vega-Lite's own view spec type is large and partly internal; panels are built as plain JSON and the
// whole is checked once as a TopLevelSpec.
type Json = Record<string, unknown>;

export const FONT = 'DejaVu Sans';
const COLUMNS = 3;
// About what fits above a PANEL.width-wide panel at the title's font size; longer titles wrap, and a
// line is never cut (its limit is the panel and its margin).
const TITLE_CHARS = 30;
// Vega cuts a subtitle line at the panel's width whatever the title's limit: they are wrapped to fit.
const SUBTITLE_CHARS = 38;
const LEGEND_TITLE_CHARS = 16;

// A value's cell on an axis: [lo, hi] edges by value (as text, so categorical values work too).
function cellEdges(axis: ViewAxis): Map<string, { lo: number; hi: number }> {
  const edges = edgesOf(axis);
  return new Map(axis.values.map((v, i) => [String(v), edges[i]!]));
}

// The theory line size = c / SNR^k across the panel, in whichever orientation SNR is drawn.
function theoryPoints(panel: GridSlice, c: number, exponent: number): { x: number; y: number }[] {
  const snrIsX = panel.x.name === 'snr';
  const [snrAxis, sizeAxis] = snrIsX ? [panel.x, panel.y] : [panel.y, panel.x];
  const [lo, hi] = domainOf(snrAxis);
  const [sizeLo, sizeHi] = domainOf(sizeAxis);
  return Array.from({ length: 80 }, (_, i) => lo * (hi / lo) ** (i / 79))
    .map((snr) => ({ snr, size: c / snr ** exponent }))
    .filter((p) => p.size >= sizeLo && p.size <= sizeHi)
    .map((p) => (snrIsX ? { x: p.snr, y: p.size } : { x: p.size, y: p.snr }));
}

// The colour scale runs from the lowest value (or 0) to twice the threshold (or the highest value), so
// that the threshold sits mid-scale for an error and a panel's extremes stay distinct.
function colourDomain(panel: GridSlice, threshold: number): [number, number] {
  const values = panel.points.flatMap((pt) => {
    const v = metricOf(pt, panel.metric).mean;
    return v === null ? [] : [v];
  });
  return [Math.min(0, ...values), Math.max(2 * threshold, ...values)];
}

// The panel's key to the boundary's marks beyond its dots: the band, lone error bars, non-monotone rows.
function boundaryKey(curve: BoundaryLayers): string[] {
  const interval = [curve.band ? '▒ band' : '', curve.bars ? '|–|' : ''].filter((s) => s !== '').join(', ');
  return [
    interval === '' ? '' : `${interval}: 95% CI over seeds`,
    curve.nonMonotone ? '× non-monotone row, not in the slope' : '',
  ];
}

function heatmapPanel(panel: GridSlice, boundary: SliceBoundary, showLegend: boolean): Json {
  const xEdges = cellEdges(panel.x);
  const yEdges = cellEdges(panel.y);
  const along = refinedAlong(panel, boundary);
  const refinedEdges = along === null ? null : lineEdges(panel, along);
  const cells = panel.points.flatMap((pt) => {
    const [xv, yv] = [valueOf(pt, panel.x.name), valueOf(pt, panel.y.name)];
    const value = panel.value(xv, yv);
    if (value === null) return [];
    const xe = refinedEdges && along === 'x' ? refinedEdges(pt) : xEdges.get(String(xv))!;
    const ye = refinedEdges && along === 'y' ? refinedEdges(pt) : yEdges.get(String(yv))!;
    return [
      {
        [panel.x.name]: xv,
        [panel.y.name]: yv,
        value,
        seeds: pt.seeds,
        x_lo: xe.lo,
        x_hi: xe.hi,
        y_lo: ye.lo,
        y_hi: ye.hi,
      },
    ];
  });
  const x = axisEncoding(panel.x, 'x', { labelled: gridValues(panel.x, panel.points) });
  const y = axisEncoding(panel.y, 'y', { labelled: gridValues(panel.y, panel.points) });
  const label = `mean ${panel.metric}`;
  const layers: Json[] = [
    {
      data: { values: cells },
      mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5, clip: true },
      encoding: {
        x: { field: 'x_lo', ...x },
        x2: { field: 'x_hi' },
        y: { field: 'y_lo', ...y },
        y2: { field: 'y_hi' },
        color: {
          field: 'value',
          type: 'quantitative',
          title: wrapWords(label, LEGEND_TITLE_CHARS),
          // Blue is good in every figure: for a metric where higher is better the scale runs the other way.
          scale: {
            domain: colourDomain(panel, boundary.threshold),
            scheme: 'blueorange',
            clamp: true,
            reverse: metricProperties(panel.metric).better === 'higher',
          },
          legend: showLegend ? { orient: 'right', gradientLength: 180, titleLimit: 0 } : null,
        },
        tooltip: [
          { field: panel.x.name },
          { field: panel.y.name },
          { field: 'value', title: label, format: '.3f' },
          { field: 'seeds' },
        ],
      },
    },
  ];
  const theory = panel.theory;
  const comparison = compareTheory(panel, boundary);
  const curve = boundaryLayers(panel, boundary, x, y);
  if (boundary.c !== null && theory) {
    layers.push({
      description: 'theory',
      data: { values: theoryPoints(panel, boundary.c, theory.exponent) },
      mark: { type: 'line', color: '#d62728', strokeDash: [6, 4], strokeWidth: 2, clip: true },
      encoding: { x: { field: 'x', ...x }, y: { field: 'y', ...y } },
    });
  }
  // The boundary over the refined points (most of them sit beside it): its band would hide under them.
  const refinedPoints = refineLayers(panel, x, y);
  layers.push(...refinedPoints, ...curve.layers);
  const subtitle = [
    boundary.along === null
      ? 'no numeric axis to find a boundary on'
      : `● boundary (${panel.metric} ${boundary.threshold})${curve.traced ? ' at a grid row, ○ at a row refine.trace added' : ''}`,
    boundary.slope === null
      ? ''
      : `slope ${fmtNumber(boundary.slope)}` +
        (theory && comparison.compared ? ` vs theory ${fmtNumber(theory.slope)}` : ''),
    boundary.points.length === 0
      ? 'no boundary crossing on this grid'
      : !theory
        ? 'no theory line for this panel'
        : `– – theory ${theory.label}, c = ${fmtNumber(boundary.c)}`,
    comparison.range === null ? '' : `slope not compared: the line holds for ${comparison.range}`,
    ...boundaryKey(curve),
    ...(refinedPoints.length === 0 ? [] : ['◇ refined points (refine:)']),
  ]
    .filter((line) => line !== '')
    .flatMap((line) => wrapWords(line, SUBTITLE_CHARS));
  return {
    title: { text: wrapWords(panel.title, TITLE_CHARS), subtitle, limit: PANEL.width + PANEL_MARGIN },
    ...PANEL,
    layer: layers,
  };
}

function gainPanel(nLabels: number, gains: GainPoint[], showLegend: boolean): Json {
  const snrs = logAxisOf(
    'snr',
    [...new Set(gains.map((g) => g.snr))].sort((a, b) => a - b),
  );
  const n0s = logAxisOf(
    'n_unlabeled',
    [...new Set(gains.map((g) => g.n_unlabeled))].sort((a, b) => a - b),
  );
  const snrEdges = cellEdges(snrs);
  const n0Edges = cellEdges(n0s);
  const values = gains.map((g) => ({
    ...g,
    snr_lo: snrEdges.get(String(g.snr))!.lo,
    snr_hi: snrEdges.get(String(g.snr))!.hi,
    n0_lo: n0Edges.get(String(g.n_unlabeled))!.lo,
    n0_hi: n0Edges.get(String(g.n_unlabeled))!.hi,
  }));
  return {
    title: {
      text: `SimCLR gain, n_labels=${nLabels}`,
      subtitle: 'supervised error − SimCLR error (same labels, SNR)',
    },
    ...PANEL,
    data: { values },
    mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: { field: 'snr_lo', ...axisEncoding(snrs, 'x') },
      x2: { field: 'snr_hi' },
      y: { field: 'n0_lo', ...axisEncoding(n0s, 'y') },
      y2: { field: 'n0_hi' },
      color: {
        field: 'gain',
        type: 'quantitative',
        title: 'error reduction',
        scale: { domain: [-0.5, 0.5], scheme: 'redblue', clamp: true },
        legend: showLegend ? { orient: 'right', gradientLength: 180 } : null,
      },
      tooltip: [{ field: 'snr' }, { field: 'n_unlabeled' }, { field: 'gain', format: '.3f' }],
    },
  };
}

// Series that coincide (the same labels needed at every SNR) would hide each other: each gets its own
// dash and marker, and is drawn a few pixels apart (a factor in the log label axis; tooltips show the
// true count).
const SERIES_OFFSET_OCTAVES = 0.08;
const DASHES = [
  [1, 0],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3],
  [4, 4],
  [1, 3],
];
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down'];

function labelComplexityPanel(points: GridPoint[]): Json | null {
  const curves = labelComplexity(points);
  if (curves.length === 0) return null;
  const series = [...new Set(curves.map((c) => c.series))];
  const mid = (series.length - 1) / 2;
  const values = curves.map((c) => ({
    ...c,
    y: c.labels_needed * 2 ** ((series.indexOf(c.series) - mid) * SERIES_OFFSET_OCTAVES),
  }));
  const snrs = logAxisOf(
    'snr',
    [...new Set(points.flatMap((p) => (p.params === null ? [] : [p.params.snr])))].sort((a, b) => a - b),
  );
  const labels = [...new Set(points.flatMap((p) => (p.params === null ? [] : [p.params.n_labels])))].sort(
    (a, b) => a - b,
  );
  const y = axisEncoding(logAxisOf('n_labels', labels), 'y', { title: 'labels needed' });
  const legend = { orient: 'bottom', columns: 1, symbolStrokeWidth: 2, symbolSize: 120 };
  // One legend: the three channels share field, title and domain, so Vega-Lite merges them.
  const encodeSeries = (channel: 'color' | 'strokeDash' | 'shape', range: unknown[]): Json => ({
    field: 'series',
    type: 'nominal',
    title: null,
    sort: series,
    scale:
      channel === 'color'
        ? { domain: series }
        : { domain: series, range: series.map((_, i) => range[i % range.length]) },
    legend,
  });
  return {
    title: {
      text: 'Label complexity',
      subtitle: `fewest labels on the grid with mean test error ≤ ${TARGET_ERROR}`,
    },
    ...PANEL,
    data: { values },
    mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 50 } },
    encoding: {
      x: { field: 'snr', ...axisEncoding(snrs, 'x') },
      y: { field: 'y', ...y },
      color: encodeSeries('color', []),
      strokeDash: encodeSeries('strokeDash', DASHES),
      shape: encodeSeries('shape', SHAPES),
      tooltip: [{ field: 'series' }, { field: 'snr' }, { field: 'labels_needed' }],
    },
  };
}

export interface FigureTitle {
  text: string;
  subtitle?: string;
}

// Room a panel takes beside its plot area: axis labels and title on the left, spacing on the right.
const PANEL_MARGIN = 90;

/**
 * The phase diagram of a sweep: one heatmap of the seed-mean metric per panel (by default per method,
 * and per label count for SimCLR), each with its boundary as a curve (refine:'s stored crossings with
 * their 95% band and refined points, where `refined` has them) and, where a paper gives one, the fitted
 * theory line; with both methods also SimCLR-gain panels and label-complexity curves.
 */
export function phaseDiagramSpec(
  points: GridPoint[],
  title: FigureTitle,
  draw: DrawOptions = DEFAULT_DRAW,
  refined: BoundaryRecord[] = [],
): TopLevelSpec {
  const trained = points.filter((pt) => pt.params === null || methodOf(pt.params.method).trains);
  const panels = gridSlices(trained, draw);
  const heatmaps = panels.map((panel, i) =>
    heatmapPanel(panel, sliceBoundary(panel, draw.threshold, refined), i === panels.length - 1),
  );
  const omitted = omittedPanels(points, draw);
  const methods = new Set(trained.map(methodOfPoint));
  const extra: Json[] = [];
  if (methods.has(METHOD.supervised) && methods.has(METHOD.simclr)) {
    const gains = simclrGain(points);
    const labelCounts = [...new Set(gains.map((g) => g.n_labels))].sort((a, b) => a - b);
    labelCounts.forEach((n, i) =>
      extra.push(
        gainPanel(
          n,
          gains.filter((g) => g.n_labels === n),
          i === labelCounts.length - 1,
        ),
      ),
    );
    const curves = labelComplexityPanel(points);
    if (curves) extra.push(curves);
  }
  // Each panel has its own colour scale (error, gain, series); only the last of a kind shows its legend.
  const independent = {
    scale: {
      color: 'independent',
      shape: 'independent',
      strokeDash: 'independent',
      x: 'independent',
      y: 'independent',
    },
  };
  const blocks = panelGrid(panels).map(({ from, to, columns }) => ({
    concat: heatmaps.slice(from, to),
    columns,
  }));
  if (extra.length > 0) blocks.push({ concat: extra, columns: COLUMNS });
  const rows: Json[] = blocks.map((block) => ({ ...block, resolve: independent }));
  const widest = Math.max(...blocks.map((b) => Math.min(b.columns, b.concat.length)));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // A title wider than the panels would widen the figure: it is cut (with an ellipsis) at their width.
    title: {
      ...title,
      subtitle: [title.subtitle, omitted].filter((line) => line !== undefined && line !== null),
      fontSize: 16,
      anchor: 'start',
      offset: 12,
      limit: widest * (PANEL.width + PANEL_MARGIN),
    },
    background: 'white',
    padding: 16,
    config: {
      font: FONT,
      view: { stroke: '#888' },
      title: { fontSize: 13, subtitleFontSize: 10, subtitleColor: '#444' },
      axis: { labelFontSize: 10, titleFontSize: 11 },
      legend: { labelFontSize: 10, titleFontSize: 11 },
      concat: { spacing: 36 },
    },
    resolve: independent,
    vconcat: rows,
  } as unknown as TopLevelSpec;
}

/**
 * The heatmaps of each method as one block of the figure: with two facets or more, a grid with the
 * last facet's values across and the others down (one axis per direction); otherwise rows of COLUMNS.
 */
function panelGrid(panels: GridSlice[]): { from: number; to: number; columns: number }[] {
  const blocks: { from: number; to: number; columns: number }[] = [];
  for (let from = 0; from < panels.length;) {
    let to = from + 1;
    while (to < panels.length && panels[to]!.method === panels[from]!.method) to++;
    const block = panels.slice(from, to);
    const columns =
      block[0]!.facets.length >= 2 ? new Set(block.map((p) => String(p.facets.at(-1)!.value))).size : COLUMNS;
    blocks.push({ from, to, columns });
    from = to;
  }
  return blocks;
}

/** Lines of at most `width` characters, broken at spaces (a longer word keeps a line of its own). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}
