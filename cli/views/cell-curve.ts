import type { CellCurve } from '../../store/cell-curves.ts';
import { renderTable } from './table.ts';

// Four significant digits, no trailing zeros: a loss of 0.005 reads 0.005, not 0.005000.
const fmtValue = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '-' : String(Number(v.toPrecision(4)));

const describeParams = (params: Record<string, unknown>): string =>
  Object.entries(params)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

// `curves <sweep> <cell>`: one row per stored step, one column per metric by name (the built-in
// columns, or a program's own names), a dash where a step lacks that metric.
export function renderCellCurve(
  sweepId: string,
  cellKey: string,
  params: Record<string, unknown>,
  curve: CellCurve,
): string {
  const head = `cell ${cellKey} of sweep ${sweepId}: ${describeParams(params)}`;
  if (curve.points.length === 0)
    return `${head}\nno stored curve: its training reported no progress, or it has not been trained yet`;
  const rows = curve.points.map((p) => [String(p.step), ...curve.metrics.map((m) => fmtValue(p.values[m]))]);
  const points = curve.points.length === 1 ? '1 point' : `${curve.points.length} points`;
  return `${head}, ${points}\n${renderTable(['step', ...curve.metrics], rows)}`;
}
