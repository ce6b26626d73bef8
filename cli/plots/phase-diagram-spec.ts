import type { TopLevelSpec } from 'vega-lite';
import { BOUNDARY_THRESHOLD, panelBoundary, type PanelBoundary } from '../views/boundary-fit.ts';
import { fmtNumber } from '../views/format.ts';
import { panelsOf, ROW_LABEL, type GridPoint, type Panel } from '../views/panels.ts';
import { labelComplexity, simclrGain, TARGET_ERROR, type GainPoint } from './label-complexity.ts';

// Vega-Lite's own view spec type is large and partly internal; panels are built as plain JSON and the
// whole is checked once as a TopLevelSpec.
type Json = Record<string, unknown>;

export const FONT = 'DejaVu Sans';
const PANEL = { width: 260, height: 220 };
const COLUMNS = 3;

/** Cell edges on a log axis: geometric midpoints between grid values, the ends mirrored outwards. */
export function logEdges(values: number[]): { lo: number; hi: number }[] {
  return values.map((v, i) => {
    const prev = values[i - 1];
    const next = values[i + 1];
    const ratioDown =
      prev !== undefined ? Math.sqrt(v / prev) : next !== undefined ? Math.sqrt(next / v) : 1.25;
    const ratioUp = next !== undefined ? Math.sqrt(next / v) : ratioDown;
    return { lo: v / ratioDown, hi: v * ratioUp };
  });
}

function edgesOf(values: number[]): Map<number, { lo: number; hi: number }> {
  const edges = logEdges(values);
  return new Map(values.map((v, i) => [v, edges[i]!]));
}

// Every grid value gets a tick label: none is dropped for overlap (Vega hides overlapping labels with
// opacity 0), so labels turn diagonal when a row of them would not fit level. SNR ticks get two
// significant digits (geomspace values are long); sample sizes are integers.
const LEVEL_LABELS_MAX = 6;
const logAxis = (title: string, values: number[], format = '~g'): Json => ({
  type: 'quantitative',
  scale: { type: 'log', domain: [logEdges(values)[0]!.lo, logEdges(values).at(-1)!.hi], nice: false },
  axis: {
    title,
    values,
    format,
    grid: false,
    labelFlush: false,
    labelOverlap: false,
    ...(values.length > LEVEL_LABELS_MAX
      ? { labelAngle: -45, labelAlign: 'right', labelBaseline: 'middle' }
      : {}),
  },
});
const snrAxis = (values: number[]): Json => logAxis('SNR', values, '.2~r');

function heatmapPanel(panel: Panel, boundary: PanelBoundary, showLegend: boolean): Json {
  const snrEdges = edgesOf(panel.snrs);
  const rowEdges = edgesOf(panel.rows);
  const row = panel.rowAxis === 'n_labels' ? 'n' : 'n0';
  const cells = panel.points
    .filter((pt) => pt.mean_test_error !== null)
    .map((pt) => {
      const r = panel.rowAxis === 'n_labels' ? pt.n_labels : pt.n_unlabeled!;
      return {
        snr: pt.snr,
        [row]: r,
        error: pt.mean_test_error,
        seeds: pt.seeds,
        snr_lo: snrEdges.get(pt.snr)!.lo,
        snr_hi: snrEdges.get(pt.snr)!.hi,
        row_lo: rowEdges.get(r)!.lo,
        row_hi: rowEdges.get(r)!.hi,
      };
    });
  const x = snrAxis(panel.snrs);
  const y = logAxis(ROW_LABEL[panel.rowAxis], panel.rows);
  const layers: Json[] = [
    {
      data: { values: cells },
      mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        x: { field: 'snr_lo', ...x },
        x2: { field: 'snr_hi' },
        y: { field: 'row_lo', ...y },
        y2: { field: 'row_hi' },
        color: {
          field: 'error',
          type: 'quantitative',
          title: 'mean test error',
          scale: { domain: [0, 0.5], scheme: 'blueorange', clamp: true },
          legend: showLegend ? { orient: 'right', gradientLength: 180 } : null,
        },
        tooltip: [{ field: 'snr' }, { field: row }, { field: 'error', format: '.3f' }, { field: 'seeds' }],
      },
    },
  ];
  const crossings = boundary.rows
    .filter((r) => r.snrStar !== null)
    .map((r) => ({ snr_star: r.snrStar, [row]: r.row }));
  const theory = panel.theory;
  if (boundary.c !== null && theory) {
    const [lo, hi] = [logEdges(panel.snrs)[0]!.lo, logEdges(panel.snrs).at(-1)!.hi];
    const [rowLo, rowHi] = [logEdges(panel.rows)[0]!.lo, logEdges(panel.rows).at(-1)!.hi];
    const line = Array.from({ length: 80 }, (_, i) => lo * (hi / lo) ** (i / 79))
      .map((snr) => ({ snr, [row]: boundary.c! / snr ** theory.exponent }))
      .filter((p) => (p[row] as number) >= rowLo && (p[row] as number) <= rowHi);
    layers.push({
      data: { values: line },
      mark: { type: 'line', color: '#d62728', strokeDash: [6, 4], strokeWidth: 2, clip: true },
      encoding: { x: { field: 'snr', ...x }, y: { field: row, ...y } },
    });
  }
  if (crossings.length > 0) {
    layers.push({
      data: { values: crossings },
      mark: {
        type: 'line',
        point: { filled: true, fill: 'black', size: 40 },
        color: 'black',
        strokeWidth: 1.5,
        clip: true,
      },
      encoding: { x: { field: 'snr_star', ...x }, y: { field: row, ...y }, order: { field: row } },
    });
  }
  const subtitle = [
    `● boundary (error ${BOUNDARY_THRESHOLD})` +
      (boundary.slope === null ? '' : `, slope ${fmtNumber(boundary.slope)}`) +
      (boundary.slope === null || !theory ? '' : ` vs theory ${fmtNumber(theory.slope)}`),
    boundary.rows.every((r) => r.snrStar === null)
      ? 'no boundary crossing on this grid'
      : !theory
        ? 'no theory line for this panel'
        : `– – theory ${theory.label}, c = ${fmtNumber(boundary.c)}`,
  ];
  return { title: { text: panel.title, subtitle }, ...PANEL, layer: layers };
}

function gainPanel(nLabels: number, gains: GainPoint[], showLegend: boolean): Json {
  const snrs = [...new Set(gains.map((g) => g.snr))].sort((a, b) => a - b);
  const n0s = [...new Set(gains.map((g) => g.n_unlabeled))].sort((a, b) => a - b);
  const snrEdges = edgesOf(snrs);
  const n0Edges = edgesOf(n0s);
  const values = gains.map((g) => ({
    ...g,
    snr_lo: snrEdges.get(g.snr)!.lo,
    snr_hi: snrEdges.get(g.snr)!.hi,
    n0_lo: n0Edges.get(g.n_unlabeled)!.lo,
    n0_hi: n0Edges.get(g.n_unlabeled)!.hi,
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
      x: { field: 'snr_lo', ...snrAxis(snrs) },
      x2: { field: 'snr_hi' },
      y: { field: 'n0_lo', ...logAxis(ROW_LABEL.n_unlabeled, n0s) },
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
  const snrs = [...new Set(points.map((p) => p.snr))].sort((a, b) => a - b);
  const labels = [...new Set(points.map((p) => p.n_labels))].sort((a, b) => a - b);
  const y = logAxis('labels needed', labels);
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
      x: { field: 'snr', ...snrAxis(snrs) },
      y: { field: 'y', ...y },
      color: encodeSeries('color', []),
      strokeDash: encodeSeries('strokeDash', DASHES),
      shape: encodeSeries('shape', SHAPES),
      tooltip: [{ field: 'series' }, { field: 'snr' }, { field: 'labels_needed' }],
    },
  };
}

/**
 * The phase diagram of a sweep: one heatmap of mean test error per method (per label count for SimCLR),
 * each with its estimated boundary and fitted theory line; with both methods also SimCLR-gain panels
 * and label-complexity curves.
 */
export interface FigureTitle {
  text: string;
  subtitle?: string;
}

// Room a panel takes beside its plot area: axis labels and title on the left, spacing on the right.
const PANEL_MARGIN = 90;

export function phaseDiagramSpec(points: GridPoint[], title: FigureTitle): TopLevelSpec {
  const panels = panelsOf(points).filter((p) => p.method !== 'noop');
  const heatmaps = panels.map((panel, i) =>
    heatmapPanel(panel, panelBoundary(panel), i === panels.length - 1),
  );
  const methods = new Set(points.map((p) => p.method));
  const extra: Json[] = [];
  if (methods.has('supervised') && methods.has('simclr')) {
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
  const rows: Json[] = [{ concat: heatmaps, columns: COLUMNS, resolve: independent }];
  if (extra.length > 0) rows.push({ concat: extra, columns: COLUMNS, resolve: independent });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // A title wider than the panels would widen the figure: it is cut (with an ellipsis) at their width.
    title: {
      ...title,
      fontSize: 16,
      anchor: 'start',
      offset: 12,
      limit: Math.min(COLUMNS, Math.max(heatmaps.length, extra.length)) * (PANEL.width + PANEL_MARGIN),
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
