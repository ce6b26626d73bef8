import type { BoundaryRecord } from '../../store/boundaries.ts';
import { SIZE_AXES } from '../../sweep/theory-lines.ts';
import { methodOf, metricProperties } from '../../trainer/index.ts';
import { metricOf, type GridPoint } from '../../store/grid-points.ts';
import { BOUNDARY_THRESHOLD, sliceBoundary, type BoundaryLine, type SliceBoundary } from './boundary-fit.ts';
import { fmtAxis, fmtError, fmtNumber } from './format.ts';
import { gridSlices, omittedMethodsNote, type GridSlice, type ViewOptions } from './grid-slices.ts';
import { compareTheory } from './theory-compare.ts';
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

// 256-colour backgrounds from green (the slice's best value) to red (its worst), in six bands: for a
// metric where higher is better the bands run the other way, so green is good in every heatmap.
const BANDS = [35, 113, 186, 221, 209, 167];

function painter(slice: GridSlice, color: boolean): (text: string, value: number | null) => string {
  const values = slice.points.flatMap((pt) => {
    const v = metricOf(pt, slice.metric).mean;
    return v === null ? [] : [v];
  });
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  const higherIsBetter = metricProperties(slice.metric).better === 'higher';
  return (text, value) => {
    if (!color || value === null) return text;
    const rank =
      hi > lo ? Math.min(BANDS.length - 1, Math.floor(((value - lo) / (hi - lo)) * BANDS.length)) : 0;
    const band = higherIsBetter ? BANDS.length - 1 - rank : rank;
    return `\x1b[48;5;${BANDS[band]}m\x1b[30m${text}\x1b[0m`;
  };
}

/** A metric value in at most four characters: ".49" below 1, "12" or "1e+4" above. */
const fmtValue = (value: number | null): string =>
  value === null ? '--' : value >= 0 && value < 1 ? fmtError(value) : fmtAxis(value);

export const fmtAxisValue = (value: AxisValue): string =>
  typeof value === 'number' ? fmtAxis(value) : String(value);

// refine:'s interval over seeds beside its crossing, as the plot draws it around the boundary, and
// whether refine.trace added the row.
const fmtInterval = (line: BoundaryLine | undefined): string =>
  (line?.ci95 ? ` (95% CI ${fmtNumber(line.ci95[0])} to ${fmtNumber(line.ci95[1])})` : '') +
  (line?.traced ? ' traced' : '');

/** Index of the first column at or past the crossing, where the row changes side. */
function boundaryColumn(axis: ViewAxis, crossing: number | null): number {
  if (crossing === null) return -1;
  return axis.values.findIndex((v) => (v as number) >= crossing * (1 - 1e-9));
}

/** One slice as a text heatmap of the seed-mean metric: rows y (largest on top), columns x, the boundary marked. */
export function renderHeatmap(slice: GridSlice, boundary: SliceBoundary, opts: HeatmapOptions): string {
  const { x, y } = slice;
  const paint = painter(slice, opts.color);
  const width = Math.max(MIN_CELL_WIDTH, ...x.values.map((v) => fmtAxisValue(v).length));
  const labelWidth = Math.max(y.name.length, ...y.values.map((v) => fmtAxisValue(v).length), 6) + 1;
  const lines: string[] = [`${slice.title}: mean ${slice.metric} over seeds`];
  const header = x.values.map((v) => fmtAxisValue(v).padStart(width)).join(' ');
  lines.push(`${`${x.name} →`.padStart(labelWidth)}  ${header}`);
  for (const row of [...y.values].reverse()) {
    const line = boundary.along === 'x' ? boundary.lines.find((l) => l.at === row) : undefined;
    const crossing = line?.crossing ?? null;
    const markAt = boundaryColumn(x, crossing);
    const cells = x.values.map((col, j) => {
      const pt = slice.at(col, row);
      const value = slice.value(col, row);
      const text = pt && value === null && pt.diverged > 0 ? 'div' : fmtValue(value);
      const sep = j === markAt && j > 0 ? BOUNDARY_MARK : ' ';
      return sep + paint(text.padStart(width), value);
    });
    const star =
      boundary.along === 'x'
        ? `   ${x.name}* ${crossing === null ? '-' : fmtNumber(crossing)}${fmtInterval(line)}`
        : '';
    lines.push(`${fmtAxisValue(row).padStart(labelWidth)} ${cells.join('')}${star}`);
  }
  const legend =
    boundary.along === 'x'
      ? `${BOUNDARY_MARK} = boundary (mean ${slice.metric} crosses ${boundary.threshold})` +
        (boundary.refined ? ', located by refine:' : '')
      : '';
  lines.push(`${y.name.padStart(labelWidth)} ↑   ${legend}`.trimEnd());
  if (boundary.along === 'y') {
    const stars = boundary.lines.map(
      (l) => `${fmtAxisValue(l.at)}: ${l.crossing === null ? '-' : fmtNumber(l.crossing)}${fmtInterval(l)}`,
    );
    lines.push(
      `${y.name}* where mean ${slice.metric} crosses ${boundary.threshold}, per ${x.name}: ${stars.join(', ')}`,
    );
  }
  const fit = describeFit(slice, boundary);
  if (fit) lines.push(fit);
  return lines.join('\n');
}

/**
 * The fitted boundary slope beside the theory's, for slices of SNR against a sample size (the only
 * axes a log-log slope is fitted over: none for a categorical or other axis).
 */
export function describeFit(slice: GridSlice, boundary: SliceBoundary): string {
  const size = slice.x.name === 'snr' ? slice.y.name : slice.y.name === 'snr' ? slice.x.name : null;
  if (size === null || !(SIZE_AXES as readonly string[]).includes(size)) return '';
  const slope =
    boundary.slope === null
      ? `log-log slope of SNR* vs ${size}: not enough crossings of ${boundary.threshold}`
      : `log-log slope of SNR* vs ${size}: ${fmtNumber(boundary.slope)} (R² ${fmtNumber(boundary.r2)})`;
  if (!slice.theory) return `${slope}; no theory line for this panel`;
  const comparison = compareTheory(slice, boundary);
  if (!comparison.compared) return `${slope}; ${comparison.note}`;
  const exp = fmtNumber(slice.theory.exponent);
  const theory = `theory -1/${exp} = ${fmtNumber(slice.theory.slope)} (${slice.theory.label})`;
  const c = boundary.c === null ? '' : `; ${size}·SNR*^${exp} ≈ ${fmtNumber(boundary.c)}`;
  return `${slope}, ${theory}${c}`;
}

// A program's points are drawn: it trains whatever it runs.
const drawn = (points: GridPoint[]): GridPoint[] =>
  points.filter((pt) => pt.params === null || methodOf(pt.params.method).trains);

/** Every slice of a sweep, separated by blank lines; `refined`: the sweep's stored boundaries, if any. */
export function renderSweepHeatmaps(
  points: GridPoint[],
  opts: HeatmapOptions,
  draw = DEFAULT_DRAW,
  refined: BoundaryRecord[] = [],
): string {
  const slices = gridSlices(drawn(points), draw);
  const omitted = omittedPanels(points, draw);
  if (slices.length === 0) return omitted ?? 'no results yet to draw (noop cells have no metrics)';
  const heatmaps = slices.map((slice) =>
    renderHeatmap(slice, sliceBoundary(slice, draw.threshold, refined), opts),
  );
  return [...(omitted ? [omitted] : []), ...heatmaps].join('\n\n');
}

/** The line saying which methods have no panel for the metric drawn (show, show --json, plot), or null. */
export const omittedPanels = (points: GridPoint[], draw = DEFAULT_DRAW): string | null =>
  omittedMethodsNote(drawn(points), draw.metric);

/** The same slices as data, for `show --json` (whose documented field for them is `panels`). */
export function slicesJson(
  points: GridPoint[],
  draw = DEFAULT_DRAW,
  refined: BoundaryRecord[] = [],
): unknown[] {
  return gridSlices(drawn(points), draw).map((slice) => {
    const b = sliceBoundary(slice, draw.threshold, refined);
    const comparison = compareTheory(slice, b);
    const axis = (a: ViewAxis) => ({ name: a.name, scale: a.scale, values: a.values });
    return {
      title: slice.title,
      method: slice.method,
      facets: Object.fromEntries(slice.facets.map((f) => [f.axis, f.value])),
      x: axis(slice.x),
      y: axis(slice.y),
      metric: slice.metric,
      // [y][x], rows in y order.
      mean: slice.y.values.map((row) => slice.x.values.map((col) => slice.value(col, row))),
      boundary: {
        threshold: b.threshold,
        along: b.along,
        crossings: b.lines.map((l) => ({
          at: l.at,
          crossing: l.crossing,
          ci95: l.ci95,
          grid_bracket: l.bracket,
          traced: l.traced,
        })),
        slope: b.slope,
        r2: b.r2,
        // null where the fitted slope is not set against the theory's (theory_note says why)
        theory_slope: comparison.compared ? b.theorySlope : null,
        theory: slice.theory?.label ?? null,
        theory_note: comparison.note,
        c: b.c,
      },
    };
  });
}
