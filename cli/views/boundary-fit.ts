import { boundarySnr, fitLogLog, theoryConstant } from '../../sweep/boundary.ts';
import type { Panel } from './panels.ts';

// The error level that separates benign (~0) from harmful (~0.5) overfitting; the store's boundary
// view uses the same threshold.
export const BOUNDARY_THRESHOLD = 0.25;

export interface PanelBoundary {
  /** SNR* per row (null where the row never crosses the threshold). */
  rows: { row: number; snrStar: number | null }[];
  /** Fitted d log SNR* / d log n over rows with a crossing; null with fewer than two. */
  slope: number | null;
  r2: number | null;
  /** The theory's slope -1/exponent of the line n * SNR^exponent = c; null where no paper gives one. */
  theorySlope: number | null;
  /** c fitted as the geometric mean of n * SNR*^exponent over the rows (null without a crossing or theory). */
  c: number | null;
}

export function panelBoundary(panel: Panel, threshold = BOUNDARY_THRESHOLD): PanelBoundary {
  const rows = panel.rows.map((row) => {
    const series = panel.snrs.flatMap((snr) => {
      const mean = panel.at(row, snr)?.mean_test_error;
      return mean === null || mean === undefined ? [] : [{ snr, meanError: mean }];
    });
    return { row, snrStar: boundarySnr(series, threshold) };
  });
  const crossed = rows.filter(
    (r): r is { row: number; snrStar: number } => r.snrStar !== null && r.snrStar > 0,
  );
  const fit = crossed.length >= 2 ? fitLogLog(crossed.map((r) => ({ x: r.row, y: r.snrStar }))) : null;
  const theory = panel.theory;
  const logC = theory ? crossed.map((r) => Math.log(theoryConstant(r.row, r.snrStar, theory.exponent))) : [];
  const c = logC.length > 0 ? Math.exp(logC.reduce((a, b) => a + b, 0) / logC.length) : null;
  return {
    rows,
    slope: fit ? fit.slope : null,
    r2: fit ? fit.r2 : null,
    theorySlope: theory ? theory.slope : null,
    c,
  };
}
