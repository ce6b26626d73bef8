import { comparableRange, notComparedReason, slopeComparable } from '../../sweep/theory-lines.ts';
import type { SliceBoundary } from './boundary-fit.ts';
import type { GridSlice } from './grid-slices.ts';

export interface TheoryComparison {
  /** whether the fitted slope may be set against the theory's */
  compared: boolean;
  /** why not, in one clause; null when compared or there is no theory line */
  note: string | null;
  /** where it would be compared ("n0 well below d (≤ 20 at d = 200)"), for a figure's short note */
  range: string | null;
}

// A sufficient condition stated for d ≫ size (ZC24) is compared only over crossings at sizes well
// below d: the text heatmap, show --json and the plot all ask here.
export function compareTheory(slice: GridSlice, boundary: SliceBoundary): TheoryComparison {
  const theory = slice.theory;
  if (theory === null) return { compared: false, note: null, range: null };
  const snrIsX = slice.x.name === 'snr';
  const sizes = boundary.points.map((p) => Number(snrIsX ? p.y : p.x));
  const ds = [...new Set(slice.points.flatMap((pt) => (pt.params === null ? [] : [pt.params.d])))];
  const d = Math.min(...ds);
  if (ds.length === 1 && slopeComparable(theory, sizes, d))
    return { compared: true, note: null, range: null };
  return { compared: false, note: notComparedReason(theory, d), range: comparableRange(theory, d) };
}
