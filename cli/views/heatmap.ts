import type { GridPoint } from '../../store/grid-points.ts';
import { BOUNDARY_THRESHOLD, panelBoundary, type PanelBoundary } from './boundary-fit.ts';
import { fmtAxis, fmtError, fmtNumber } from './format.ts';
import { panelsOf, type Panel, type ViewOptions } from './panels.ts';
import type { AxisValue, ViewAxis } from './view-axes.ts';

export interface HeatmapOptions {
  /** ANSI background colours; the printed numbers carry the same information without them. */
  color: boolean;
}

/** What a view draws and where its boundary lies. */
export interface DrawOptions extends ViewOptions {
  threshold: number;
}

export const DEFAULT_DRAW: DrawOptions = { metric: 'test_error', threshold: BOUNDARY_THRESHOLD };

const MIN_CELL_WIDTH = 4;
const BOUNDARY_MARK = '│';

// 256-colour backgrounds from green (the panel's lowest value) to red (its highest), in six bands.
const BANDS = [35, 113, 186, 221, 209, 167];

function painter(panel: Panel, color: boolean): (text: string, value: number | null) => string {
  const values = panel.points.flatMap((pt) => {
    const v = pt.metrics[panel.metric].mean;
    return v === null ? [] : [v];
  });
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  return (text, value) => {
    if (!color || value === null) return text;
    const band =
      hi > lo ? Math.min(BANDS.length - 1, Math.floor(((value - lo) / (hi - lo)) * BANDS.length)) : 0;
    return `\x1b[48;5;${BANDS[band]}m\x1b[30m${text}\x1b[0m`;
  };
}

/** A metric value in at most four characters: ".49" below 1, "12" or "1e+4" above. */
const fmtValue = (value: number | null): string =>
  value === null ? '--' : value >= 0 && value < 1 ? fmtError(value) : fmtAxis(value);

export const fmtAxisValue = (value: AxisValue): string =>
  typeof value === 'number' ? fmtAxis(value) : String(value);

/** Index of the first column at or past the crossing, where the row changes side. */
function boundaryColumn(axis: ViewAxis, crossing: number | null): number {
  if (crossing === null) return -1;
  return axis.values.findIndex((v) => (v as number) >= crossing * (1 - 1e-9));
}

/** One panel as a text heatmap of the seed-mean metric: rows y (largest on top), columns x, the boundary marked. */
export function renderHeatmap(panel: Panel, boundary: PanelBoundary, opts: HeatmapOptions): string {
  const { x, y } = panel;
  const paint = painter(panel, opts.color);
  const width = Math.max(MIN_CELL_WIDTH, ...x.values.map((v) => fmtAxisValue(v).length));
  const labelWidth = Math.max(y.name.length, ...y.values.map((v) => fmtAxisValue(v).length), 6) + 1;
  const lines: string[] = [`${panel.title}: mean ${panel.metric} over seeds`];
  const header = x.values.map((v) => fmtAxisValue(v).padStart(width)).join(' ');
  lines.push(`${`${x.name} →`.padStart(labelWidth)}  ${header}`);
  for (const row of [...y.values].reverse()) {
    const crossing =
      boundary.along === 'x' ? (boundary.lines.find((l) => l.at === row)?.crossing ?? null) : null;
    const markAt = boundaryColumn(x, crossing);
    const cells = x.values.map((col, j) => {
      const pt = panel.at(col, row);
      const value = panel.value(col, row);
      const text = pt && value === null && pt.diverged > 0 ? 'div' : fmtValue(value);
      const sep = j === markAt && j > 0 ? BOUNDARY_MARK : ' ';
      return sep + paint(text.padStart(width), value);
    });
    const star =
      boundary.along === 'x' ? `   ${x.name}* ${crossing === null ? '-' : fmtNumber(crossing)}` : '';
    lines.push(`${fmtAxisValue(row).padStart(labelWidth)} ${cells.join('')}${star}`);
  }
  const legend =
    boundary.along === 'x'
      ? `${BOUNDARY_MARK} = boundary (mean ${panel.metric} crosses ${boundary.threshold})`
      : '';
  lines.push(`${y.name.padStart(labelWidth)} ↑   ${legend}`.trimEnd());
  if (boundary.along === 'y') {
    const stars = boundary.lines.map(
      (l) => `${fmtAxisValue(l.at)}: ${l.crossing === null ? '-' : fmtNumber(l.crossing)}`,
    );
    lines.push(
      `${y.name}* where mean ${panel.metric} crosses ${boundary.threshold}, per ${x.name}: ${stars.join(', ')}`,
    );
  }
  const fit = describeFit(panel, boundary);
  if (fit) lines.push(fit);
  return lines.join('\n');
}

/** The fitted boundary slope beside the theory's, for panels of SNR against a sample size. */
export function describeFit(panel: Panel, boundary: PanelBoundary): string {
  const size = panel.x.name === 'snr' ? panel.y.name : panel.y.name === 'snr' ? panel.x.name : null;
  if (size === null) return '';
  const slope =
    boundary.slope === null
      ? `log-log slope of SNR* vs ${size}: not enough crossings of ${boundary.threshold}`
      : `log-log slope of SNR* vs ${size}: ${fmtNumber(boundary.slope)} (R² ${fmtNumber(boundary.r2)})`;
  if (!panel.theory) return `${slope}; no theory line for this panel`;
  const exp = fmtNumber(panel.theory.exponent);
  const theory = `theory -1/${exp} = ${fmtNumber(panel.theory.slope)} (${panel.theory.label})`;
  const c = boundary.c === null ? '' : `; ${size}·SNR*^${exp} ≈ ${fmtNumber(boundary.c)}`;
  return `${slope}, ${theory}${c}`;
}

const drawn = (points: GridPoint[]): GridPoint[] => points.filter((pt) => pt.params.method !== 'noop');

/** Every panel of a sweep, separated by blank lines. */
export function renderSweepHeatmaps(points: GridPoint[], opts: HeatmapOptions, draw = DEFAULT_DRAW): string {
  const panels = panelsOf(drawn(points), draw);
  if (panels.length === 0) return 'no results yet to draw (noop cells have no metrics)';
  return panels.map((panel) => renderHeatmap(panel, panelBoundary(panel, draw.threshold), opts)).join('\n\n');
}

/** The same panels as data, for --json. */
export function panelsJson(points: GridPoint[], draw = DEFAULT_DRAW): unknown[] {
  return panelsOf(drawn(points), draw).map((panel) => {
    const b = panelBoundary(panel, draw.threshold);
    const axis = (a: ViewAxis) => ({ name: a.name, scale: a.scale, values: a.values });
    return {
      title: panel.title,
      method: panel.method,
      facets: Object.fromEntries(panel.facets.map((f) => [f.axis, f.value])),
      x: axis(panel.x),
      y: axis(panel.y),
      metric: panel.metric,
      // [y][x], rows in y order.
      mean: panel.y.values.map((row) => panel.x.values.map((col) => panel.value(col, row))),
      boundary: {
        threshold: b.threshold,
        along: b.along,
        crossings: b.lines.map((l) => ({ at: l.at, crossing: l.crossing })),
        slope: b.slope,
        r2: b.r2,
        theory_slope: b.theorySlope,
        theory: panel.theory?.label ?? null,
        c: b.c,
      },
    };
  });
}
