// The row planner of `refine.trace` (README "Tracing the boundary in two dimensions"): between two
// adjacent rows whose crossings are further apart than the resolution, a row at the midpoint, with a
// first bracket predicted from the neighbours. Pure: the same rows always give the same new rows.
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
}

export interface TracedRow {
  row: number;
  // The crossing predicted from the neighbours, and the refined-axis values the row starts with.
  predicted: number;
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

// New rows for one family: one between every adjacent pair of settled monotone rows whose crossings
// differ by more than the resolution, where a distinct row value fits between them.
export function planTrace(rows: TraceRow[], settings: TraceSettings): TracedRow[] {
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
    // Widened to both neighbours' intervals: the new row's crossing lies between theirs unless the
    // boundary bends sharply, and then the bracket still holds it.
    const ends = [predicted, ...(a.interval ?? [a.crossing]), ...(b.interval ?? [b.crossing])];
    const low = roundValue(Math.min(...ends), settings.integer, 'down');
    const high = roundValue(Math.max(...ends), settings.integer, 'up');
    const inside = aroundPrediction(predicted, settings).filter((v) => v > low && v < high);
    out.push({ row, predicted, values: [...new Set([low, ...inside, high])].sort((x, y) => x - y) });
  }
  return out;
}
