import type { BoundaryRecord } from '../../store/boundaries.ts';
import type { GridPoint } from '../../store/grid-points.ts';
import { fitLogLog, theoryConstant } from '../../sweep/boundary.ts';
import { curveCrossings } from '../../sweep/crossing-interval.ts';
import { SIZE_AXES } from '../../sweep/theory-lines.ts';
import type { GridSlice } from './grid-slices.ts';
import { valueOf, type AxisValue, type ViewAxis, type ViewAxisName } from './view-axes.ts';

// The metric level that separates benign (~0) from harmful (~0.5) overfitting by default; the store's
// boundary view uses the same threshold.
export const BOUNDARY_THRESHOLD = 0.25;

export interface SliceBoundary {
  threshold: number;
  /** The numeric axis scanned for the crossing: x (per row), else y (per column); null if neither is. */
  along: 'x' | 'y' | null;
  /**
   * Per row (along x) or column (along y): where the seed-mean metric crosses the threshold, or null;
   * for a group refine: located, its stored crossing, grid bracket and interval.
   */
  lines: BoundaryLine[];
  /** Whether some line is refine:'s stored boundary rather than the slice's own estimate. */
  refined: boolean;
  /** The crossings as (x, y) points of the slice. */
  points: { x: AxisValue; y: AxisValue }[];
  /**
   * Fitted d log SNR* / d log size, for SNR against a sample size, with crossings at two sizes or more;
   * non-monotone lines are left out, as from the stored slope.
   */
  slope: number | null;
  r2: number | null;
  /** The theory's slope -1/exponent of the line size · SNR^exponent = c; null where no paper gives one. */
  theorySlope: number | null;
  /** c fitted as the geometric mean of size · SNR*^exponent over the crossings (null without one or theory). */
  c: number | null;
}

export interface BoundaryLine {
  at: AxisValue;
  crossing: number | null;
  // The grid bracket around the crossing and its seed-bootstrap interval, both from refine:'s store.
  bracket: [number, number] | null;
  ci95: [number, number] | null;
  // How often the line's seed mean crosses: more than once is non-monotone, left out of the slope.
  crossings: number;
  // From the store's boundaries table (refine:), not estimated from the slice's values.
  stored: boolean;
  // A row refine.trace added between the grid's rows (stored boundaries only).
  traced: boolean;
}

// The stored boundary of the group a line's points belong to, when refine: scanned this axis for
// this metric and threshold: `show`, `show --json` and `plot` then all give the store's crossing.
function storedBoundary(
  scan: ViewAxis,
  metric: string,
  threshold: number,
  line: GridPoint | undefined,
  records: BoundaryRecord[],
): BoundaryRecord | undefined {
  if (line === undefined) return undefined;
  return records.find(
    (r) =>
      r.axis === scan.name &&
      r.metric === metric &&
      r.threshold === threshold &&
      Object.entries(r.group_values).every(
        ([k, v]) => String(valueOf(line, k as ViewAxisName)) === String(v),
      ),
  );
}

const numericScale = (scale: GridSlice['x']['scale']): 'log' | 'linear' | null =>
  scale === 'category' ? null : scale;

export function sliceBoundary(
  slice: GridSlice,
  threshold = BOUNDARY_THRESHOLD,
  refined: BoundaryRecord[] = [],
): SliceBoundary {
  // The numeric axis refine: scanned, however the panel is laid out; else the first numeric one.
  const numeric = [slice.x, slice.y].filter((a) => numericScale(a.scale) !== null);
  const chosen = numeric.find((a) => refined.some((r) => r.axis === a.name)) ?? numeric[0];
  const along = chosen === undefined ? null : chosen === slice.x ? 'x' : 'y';
  const [scan, across] = along === 'y' ? [slice.y, slice.x] : [slice.x, slice.y];
  const lines: BoundaryLine[] =
    along === null
      ? []
      : across.values.map((at) => {
          const inLine = slice.points.find((pt) => String(valueOf(pt, across.name)) === String(at));
          const stored = storedBoundary(scan, slice.metric, threshold, inLine, refined);
          if (stored) {
            const bracket: [number, number] | null =
              stored.bracket_low === null || stored.bracket_high === null
                ? null
                : [stored.bracket_low, stored.bracket_high];
            const ci95: [number, number] | null =
              stored.ci95_low === null || stored.ci95_high === null
                ? null
                : [stored.ci95_low, stored.ci95_high];
            return {
              at,
              crossing: stored.crossing,
              bracket,
              ci95,
              crossings: stored.crossings,
              stored: true,
              traced: stored.traced,
            };
          }
          const series = scan.values.flatMap((v) => {
            const value = along === 'x' ? slice.value(v, at) : slice.value(at, v);
            return value === null ? [] : [{ at: v as number, value }];
          });
          const all = curveCrossings(series, threshold, numericScale(scan.scale)!);
          return {
            at,
            crossing: all.length > 0 ? all[0].at : null,
            bracket: null,
            ci95: null,
            crossings: all.length,
            stored: false,
            traced: false,
          };
        });
  const crossed = lines.filter((l): l is BoundaryLine & { crossing: number } => l.crossing !== null);
  const toPoint = (l: BoundaryLine & { crossing: number }) =>
    along === 'x' ? { x: l.crossing, y: l.at } : { x: l.at, y: l.crossing };
  const points = crossed.map(toPoint);
  const monotone = crossed.filter((l) => l.crossings === 1).map(toPoint);
  // SNR against a sample size, however the two are laid out: the theory's (size, SNR*) pairs.
  const snrIsX = slice.x.name === 'snr';
  const sizeAxis = snrIsX ? slice.y.name : slice.x.name;
  const pairs =
    (snrIsX || slice.y.name === 'snr') && (SIZE_AXES as readonly string[]).includes(sizeAxis)
      ? monotone
          .map((p) => (snrIsX ? { size: p.y, snr: p.x } : { size: p.x, snr: p.y }))
          .filter(
            (p): p is { size: number; snr: number } =>
              typeof p.size === 'number' && p.size > 0 && (p.snr as number) > 0,
          )
      : [];
  const sizes = new Set(pairs.map((p) => p.size));
  const fit = sizes.size >= 2 ? fitLogLog(pairs.map((p) => ({ x: p.size, y: p.snr }))) : null;
  const theory = slice.theory;
  const logC = theory ? pairs.map((p) => Math.log(theoryConstant(p.size, p.snr, theory.exponent))) : [];
  return {
    threshold,
    along,
    lines,
    refined: lines.some((l) => l.stored),
    points,
    slope: fit ? fit.slope : null,
    r2: fit ? fit.r2 : null,
    theorySlope: theory ? theory.slope : null,
    c: logC.length > 0 ? Math.exp(logC.reduce((a, b) => a + b, 0) / logC.length) : null,
  };
}
