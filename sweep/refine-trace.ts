// The row planner of `refine.trace` (README "Tracing the boundary in two dimensions"): between two
// adjacent rows whose crossings are further apart than the resolution, a row at the midpoint, first
// measured at two values around the crossing predicted from the neighbours; widened to cover both
// neighbours' intervals only when those two values do not hold every bootstrap resample's crossing.
// Pure: the same rows always give the same new rows and values.
import { bracketWidth, type AxisScale, type BoundaryKind } from './refine-plan.ts';
import { roundSignificant } from './values.ts';

export interface TraceSettings {
  // Largest crossing difference between adjacent rows: log10 units on a log refined axis.
  resolution: number;
  // The traced axis (rows) and the refined one (crossings).
  rowScale: AxisScale;
  rowInteger: boolean;
  scale: AxisScale;
  integer: boolean;
  // The refined axis's bracket resolution (refine.resolution): how narrow a settled bracket is.
  bracket: number;
}

// One row of a family (every coordinate but the two axes and the seed in common).
export interface TraceRow {
  row: number;
  kind: BoundaryKind;
  crossing: number | null;
  // Where the crossing may be: its bracket, widened to its ci95 when it has one.
  interval: [number, number] | null;
  // No bracket left wider than the resolution: the crossing will not move by more than that.
  settled: boolean;
  // Added by refine.trace (not a row of the grid).
  traced: boolean;
  // The refined-axis values the row has results at, ascending.
  values: number[];
  // Whether a crossing lies below the row's lowest value, or above its highest: the seed mean's when it
  // has none between them (both then), else a bootstrap resample's that has none between them. Neither:
  // every resample crosses between the row's values, and its interval is the bootstrap's own, not cut
  // off by them.
  beyond: { low: boolean; high: boolean };
}

export interface TracedRow {
  row: number;
  // The crossing predicted from the neighbours, and the refined-axis values the row starts with.
  predicted: number;
  values: number[];
}

// Values to add to an existing row.
export interface WidenedRow {
  row: number;
  values: number[];
}

// Where a settled bracket around the prediction would lie: a little under half the bracket
// resolution on either side, so that the rounded values still make a bracket no wider than it.
const AROUND_PREDICTION = 0.45;

// The two values either side of the predicted crossing, a settled bracket apart: when the prediction
// is good (between neighbours a few percent apart it usually is), the row's crossing is between
// them and the row needs no bisection at all.
export function aroundPrediction(predicted: number, settings: TraceSettings): [number, number] {
  const half = AROUND_PREDICTION * settings.bracket;
  const [below, above] =
    settings.scale === 'log'
      ? [predicted * 10 ** -half, predicted * 10 ** half]
      : [predicted - half, predicted + half];
  if (!settings.integer) return [roundSignificant(below), roundSignificant(above)];
  // Whole numbers inside, so as not to widen it; the two around the prediction when none fits.
  const [low, high] = [Math.ceil(below), Math.floor(above)];
  return high > low ? [low, high] : [Math.floor(predicted), Math.floor(predicted) + 1];
}

const toScale = (x: number, scale: AxisScale) => (scale === 'log' ? Math.log(x) : x);
const fromScale = (x: number, scale: AxisScale) => (scale === 'log' ? Math.exp(x) : x);

function roundValue(x: number, integer: boolean, toward: 'nearest' | 'down' | 'up' = 'nearest'): number {
  if (!integer) return roundSignificant(x);
  return toward === 'down' ? Math.floor(x) : toward === 'up' ? Math.ceil(x) : Math.round(x);
}

// The midpoint of two rows: geometric on a log axis, rounded on a whole-number one.
export function midRow(a: number, b: number, settings: TraceSettings): number {
  const { rowScale, rowInteger } = settings;
  return roundValue(fromScale((toScale(a, rowScale) + toScale(b, rowScale)) / 2, rowScale), rowInteger);
}

// The crossing at `row` on the line through the neighbours' crossings, in log-log where both axes are
// logarithmic.
export function predictCrossing(a: TraceRow, b: TraceRow, row: number, settings: TraceSettings): number {
  const { rowScale, scale } = settings;
  const t =
    (toScale(row, rowScale) - toScale(a.row, rowScale)) /
    (toScale(b.row, rowScale) - toScale(a.row, rowScale));
  const [ca, cb] = [toScale(a.crossing!, scale), toScale(b.crossing!, scale)];
  return fromScale(ca + t * (cb - ca), scale);
}

// The ends of the neighbours' intervals (their crossings where they have none), rounded outward: where
// a row between them crosses unless the boundary bends sharply or its seeds disagree more than theirs.
function hullEnds(neighbours: (TraceRow | undefined)[], settings: TraceSettings): [number, number] | null {
  const ends = neighbours.flatMap((n) =>
    n === undefined ? [] : (n.interval ?? (n.crossing === null ? [] : [n.crossing])),
  );
  if (ends.length === 0) return null;
  return [
    roundValue(Math.min(...ends), settings.integer, 'down'),
    roundValue(Math.max(...ends), settings.integer, 'up'),
  ];
}

// New rows for one family: one between every adjacent pair of settled monotone rows whose crossings
// differ by more than the resolution, where a distinct row value fits between them. `widened`: the
// round is the last one (max_rounds), so no later round could widen a new row; it starts with the ends
// of its neighbours' intervals as well.
export function planTrace(rows: TraceRow[], settings: TraceSettings, widened = false): TracedRow[] {
  const sorted = [...rows].sort((a, b) => a.row - b.row);
  const taken = new Set(sorted.map((r) => r.row));
  const out: TracedRow[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (a.kind !== 'crossing' || b.kind !== 'crossing' || a.crossing === null || b.crossing === null)
      continue;
    // A row between crossings that are still moving may turn out not to be needed.
    if (!a.settled || !b.settled) continue;
    const [lo, hi] = [Math.min(a.crossing, b.crossing), Math.max(a.crossing, b.crossing)];
    if (!(bracketWidth(lo, hi, settings.scale) > settings.resolution)) continue;
    const row = midRow(a.row, b.row, settings);
    if (!(row > a.row && row < b.row) || taken.has(row)) continue;
    taken.add(row);
    const predicted = roundValue(predictCrossing(a, b, row, settings), settings.integer);
    const around = aroundPrediction(predicted, settings);
    const [low, high] = hullEnds([a, b], settings)!;
    const values = widened ? [low, ...around.filter((v) => v > low && v < high), high] : around;
    out.push({ row, predicted, values: [...new Set(values)].sort((x, y) => x - y) });
  }
  return out;
}

// Only the two values around its prediction: a traced row that has not been widened yet.
const FIRST_VALUES = 2;

// Traced rows still at their first two values with a crossing beyond them (the seed mean's, or a
// resample's): the ends of both neighbours' intervals on that side, where they lie outside the row's
// values. The row's crossing lies between its neighbours' unless the boundary bends sharply, and so do
// its resamples' unless its seeds disagree more than the neighbours' do; a row left without a crossing
// when nothing is left to add is its caller's to handle.
export function planWidening(rows: TraceRow[], settings: TraceSettings): WidenedRow[] {
  const sorted = [...rows].sort((a, b) => a.row - b.row);
  const out: WidenedRow[] = [];
  sorted.forEach((r, i) => {
    if (!r.traced || r.values.length === 0 || r.values.length > FIRST_VALUES) return;
    const ends = hullEnds([sorted[i - 1], sorted[i + 1]], settings);
    if (ends === null) return;
    const [low, high] = ends;
    const values = [
      ...(r.beyond.low && low < r.values[0] ? [low] : []),
      ...(r.beyond.high && high > r.values[r.values.length - 1] ? [high] : []),
    ];
    if (values.length > 0) out.push({ row: r.row, values });
  });
  return out;
}
