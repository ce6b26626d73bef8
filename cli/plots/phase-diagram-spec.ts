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

// SNR ticks get two significant digits (geomspace values are long); sample sizes are integers.
const logAxis = (title: string, values: number[], format = '~g'): Json => ({
  type: 'quantitative',
  scale: { type: 'log', domain: [logEdges(values)[0]!.lo, logEdges(values).at(-1)!.hi], nice: false },
  axis: { title, values, format, grid: false, labelFlush: false, labelOverlap: 'greedy' },
});
const snrAxis = (values: number[]): Json => logAxis('SNR', values, '.2~r');

const SUPERSCRIPT: Record<string, string> = { '1': '¹', '2': '²', '3': '³', '4': '⁴' };
const power = (exp: number): string => SUPERSCRIPT[String(exp)] ?? `^${fmtNumber(exp)}`;

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
  if (boundary.c !== null) {
    const [lo, hi] = [logEdges(panel.snrs)[0]!.lo, logEdges(panel.snrs).at(-1)!.hi];
    const [rowLo, rowHi] = [logEdges(panel.rows)[0]!.lo, logEdges(panel.rows).at(-1)!.hi];
    const theory = Array.from({ length: 80 }, (_, i) => lo * (hi / lo) ** (i / 79))
      .map((snr) => ({ snr, [row]: boundary.c! / snr ** panel.exponent }))
      .filter((p) => (p[row] as number) >= rowLo && (p[row] as number) <= rowHi);
    layers.push({
      data: { values: theory },
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
      (boundary.slope === null
        ? ''
        : `, slope ${fmtNumber(boundary.slope)} vs theory ${fmtNumber(boundary.theorySlope)}`),
    boundary.c === null
      ? 'no boundary crossing on this grid'
      : `– – theory ${row}·SNR${power(panel.exponent)} = c, c = ${fmtNumber(boundary.c)}`,
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

function labelComplexityPanel(points: GridPoint[]): Json | null {
  const curves = labelComplexity(points);
  if (curves.length === 0) return null;
  const snrs = [...new Set(points.map((p) => p.snr))].sort((a, b) => a - b);
  const labels = [...new Set(points.map((p) => p.n_labels))].sort((a, b) => a - b);
  return {
    title: {
      text: 'Label complexity',
      subtitle: `fewest labels on the grid with mean test error ≤ ${TARGET_ERROR}`,
    },
    ...PANEL,
    data: { values: curves },
    mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'snr', ...snrAxis(snrs) },
      y: { field: 'labels_needed', ...logAxis('labels needed', labels) },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 1 } },
      tooltip: [{ field: 'series' }, { field: 'snr' }, { field: 'labels_needed' }],
    },
  };
}

/**
 * The phase diagram of a sweep: one heatmap of mean test error per method (per label count for SimCLR),
 * each with its estimated boundary and fitted theory line; with both methods also SimCLR-gain panels
 * and label-complexity curves.
 */
export function phaseDiagramSpec(points: GridPoint[], title: string): TopLevelSpec {
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
  const independent = { scale: { color: 'independent', x: 'independent', y: 'independent' } };
  const rows: Json[] = [{ concat: heatmaps, columns: COLUMNS, resolve: independent }];
  if (extra.length > 0) rows.push({ concat: extra, columns: COLUMNS, resolve: independent });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, fontSize: 16, anchor: 'start', offset: 16 },
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
