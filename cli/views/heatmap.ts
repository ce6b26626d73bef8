import { BOUNDARY_THRESHOLD, panelBoundary, type PanelBoundary } from './boundary-fit.ts';
import { fmtAxis, fmtError, fmtNumber } from './format.ts';
import { panelsOf, ROW_LABEL, type GridPoint, type Panel } from './panels.ts';

export interface HeatmapOptions {
  /** ANSI background colours; the printed numbers carry the same information without them. */
  color: boolean;
}

const CELL_WIDTH = 4;
const BOUNDARY_MARK = '│';

// 256-colour backgrounds from benign green to harmful red, one per band of mean test error.
const BANDS: { below: number; bg: number }[] = [
  { below: 0.05, bg: 35 },
  { below: 0.15, bg: 113 },
  { below: 0.25, bg: 186 },
  { below: 0.35, bg: 221 },
  { below: 0.45, bg: 209 },
  { below: Infinity, bg: 167 },
];

function paint(text: string, error: number | null | undefined, color: boolean): string {
  if (!color || error === null || error === undefined) return text;
  const band = BANDS.find((b) => error < b.below)!;
  return `\x1b[48;5;${band.bg}m\x1b[30m${text}\x1b[0m`;
}

/** Index of the first column at or past the boundary SNR, where the row turns benign. */
function boundaryColumn(snrs: number[], snrStar: number | null): number {
  if (snrStar === null) return -1;
  return snrs.findIndex((snr) => snr >= snrStar * (1 - 1e-9));
}

/** One panel as a text heatmap of mean test error: rows a sample size, columns SNR, the boundary marked. */
export function renderHeatmap(panel: Panel, boundary: PanelBoundary, opts: HeatmapOptions): string {
  const rowLabel = ROW_LABEL[panel.rowAxis];
  const labelWidth = Math.max(rowLabel.length, 6) + 1;
  const lines: string[] = [];
  lines.push(`${panel.title}: mean test error over seeds`);
  const header = panel.snrs.map((snr) => fmtAxis(snr).padStart(CELL_WIDTH)).join(' ');
  lines.push(`${'SNR →'.padStart(labelWidth)}  ${header}`);
  // Largest sample size on top, as in a plot with n increasing upwards.
  for (const row of [...panel.rows].reverse()) {
    const star = boundary.rows.find((r) => r.row === row)?.snrStar ?? null;
    const markAt = boundaryColumn(panel.snrs, star);
    const cells = panel.snrs.map((snr, j) => {
      const pt = panel.at(row, snr);
      const text =
        pt && pt.mean_test_error === null && pt.diverged > 0 ? 'div' : fmtError(pt?.mean_test_error);
      const sep = j === markAt && j > 0 ? BOUNDARY_MARK : ' ';
      return sep + paint(text.padStart(CELL_WIDTH), pt?.mean_test_error, opts.color);
    });
    const starText = star === null ? 'SNR* -' : `SNR* ${fmtNumber(star)}`;
    lines.push(`${fmtAxis(row).padStart(labelWidth)} ${cells.join('')}   ${starText}`);
  }
  lines.push(
    `${rowLabel.padStart(labelWidth)} ↑   ${BOUNDARY_MARK} = boundary (mean error crosses ${BOUNDARY_THRESHOLD})`,
  );
  lines.push(describeFit(panel, boundary));
  return lines.join('\n');
}

export function describeFit(panel: Panel, boundary: PanelBoundary): string {
  const n = panel.rowAxis === 'n_labels' ? 'n' : 'n0';
  const slope =
    boundary.slope === null
      ? `log-log slope of SNR* vs ${n}: not enough rows cross ${BOUNDARY_THRESHOLD}`
      : `log-log slope of SNR* vs ${n}: ${fmtNumber(boundary.slope)} (R² ${fmtNumber(boundary.r2)})`;
  if (!panel.theory) return `${slope}; no theory line for this panel`;
  const exp = fmtNumber(panel.theory.exponent);
  const theory = `theory -1/${exp} = ${fmtNumber(panel.theory.slope)} (${panel.theory.label})`;
  const c = boundary.c === null ? '' : `; ${n}·SNR*^${exp} ≈ ${fmtNumber(boundary.c)}`;
  return `${slope}, ${theory}${c}`;
}

/** Every panel of a sweep (per method, and per label count for SimCLR), separated by blank lines. */
export function renderSweepHeatmaps(points: GridPoint[], opts: HeatmapOptions): string {
  const panels = panelsOf(points).filter((p) => p.method !== 'noop');
  if (panels.length === 0) return 'no results yet to draw (noop cells have no test error)';
  return panels.map((panel) => renderHeatmap(panel, panelBoundary(panel), opts)).join('\n\n');
}

/** The same panels as data, for --json. */
export function panelsJson(points: GridPoint[]): unknown[] {
  return panelsOf(points).map((panel) => {
    const b = panelBoundary(panel);
    return {
      title: panel.title,
      method: panel.method,
      row_axis: panel.rowAxis,
      rows: panel.rows,
      snrs: panel.snrs,
      mean_test_error: panel.rows.map((row) =>
        panel.snrs.map((snr) => panel.at(row, snr)?.mean_test_error ?? null),
      ),
      boundary: {
        threshold: BOUNDARY_THRESHOLD,
        snr_star: b.rows,
        slope: b.slope,
        r2: b.r2,
        theory_slope: b.theorySlope,
        c: b.c,
      },
    };
  });
}
