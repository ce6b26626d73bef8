// The boundaries refine: found (store table `boundaries`), for `show`, `show --json` and `export`: one
// object per group, and the log-log slope of the crossing against the group's sample size with its
// 95% confidence interval next to the theory's slope.
import { fitSlope } from '../../sweep/boundary-slope.ts';
import { theoryLine, type SizeAxis } from '../../sweep/theory-lines.ts';
import { cellParamsSchema } from '../../trainer/index.ts';
import type { BoundaryRecord } from '../../store/boundaries.ts';
import { fmtNumber } from './format.ts';
import { renderTable } from './table.ts';

export interface BoundaryJson {
  [axis: string]: unknown;
  crossing: number | null;
  bracket: [number, number] | null;
  rounds: number;
  cells: number;
  kind: string;
  crossings: number;
  open_brackets: number;
  // A row refine.trace added between the grid's rows.
  traced: boolean;
}

export interface BoundarySlope {
  // The groups fitted: these coordinates in common, x_axis varying.
  where: Record<string, string | number>;
  x_axis: string;
  groups: number;
  slope: number;
  ci95: [number, number] | null;
  // The slope of the paper's line for this method and q (sweep/theory-lines.ts); null where none
  // applies or the refined axis is not SNR.
  theory_slope: number | null;
}

export function boundariesJson(records: BoundaryRecord[]): BoundaryJson[] {
  return records.map((r) => ({
    ...r.group_values,
    axis: r.axis,
    metric: r.metric,
    threshold: r.threshold,
    kind: r.kind,
    crossing: r.crossing,
    bracket: r.bracket_low === null || r.bracket_high === null ? null : [r.bracket_low, r.bracket_high],
    crossings: r.crossings,
    open_brackets: r.open_brackets,
    rounds: r.rounds,
    cells: r.cells,
    traced: r.traced,
  }));
}

function xAxisOf(group: Record<string, string | number>): SizeAxis | undefined {
  if (group.method === 'simclr' && 'n_unlabeled' in group) return 'n_unlabeled';
  return 'n_labels' in group ? 'n_labels' : undefined;
}

// Groups with a crossing, split by every coordinate but the sample-size axis; a fit per part with at
// least two distinct sample sizes.
export function boundarySlopes(records: BoundaryRecord[], q: number): BoundarySlope[] {
  const parts = new Map<
    string,
    { where: Record<string, string | number>; xAxis: string; rows: BoundaryRecord[] }
  >();
  for (const r of records) {
    const xAxis = xAxisOf(r.group_values);
    if (xAxis === undefined || r.crossing === null || !(r.crossing > 0)) continue;
    const where = Object.fromEntries(Object.entries(r.group_values).filter(([k]) => k !== xAxis));
    const key = JSON.stringify([xAxis, where]);
    const part = parts.get(key) ?? { where, xAxis, rows: [] };
    part.rows.push(r);
    parts.set(key, part);
  }
  const slopes: BoundarySlope[] = [];
  for (const { where, xAxis, rows } of parts.values()) {
    const points = rows.map((r) => ({ x: Number(r.group_values[xAxis]), y: r.crossing! }));
    if (new Set(points.map((p) => p.x)).size < 2) continue;
    const fit = fitSlope(points);
    const groupQ = typeof where.q === 'number' ? where.q : q;
    slopes.push({
      where,
      x_axis: xAxis,
      groups: fit.points,
      slope: fit.slope,
      ci95: fit.low === null || fit.high === null ? null : [fit.low, fit.high],
      theory_slope:
        rows[0].axis === 'snr' ? (theoryLine(String(where.method), xAxis, groupQ)?.slope ?? null) : null,
    });
  }
  return slopes;
}

function groupLabel(group: Record<string, string | number>): string {
  return Object.entries(group)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

function describe(r: BoundaryRecord): string {
  const range = `${fmtNumber(r.range_low, 3)}..${fmtNumber(r.range_high, 3)}`;
  if (r.kind === 'all_above') return `no boundary in range: ${r.metric} >= ${r.threshold} over ${range}`;
  if (r.kind === 'all_below') return `no boundary in range: ${r.metric} < ${r.threshold} over ${range}`;
  if (r.kind === 'no_data') return 'no results';
  const more = r.kind === 'non_monotone' ? ` (non-monotone: ${r.crossings} crossings)` : '';
  return `${fmtNumber(r.crossing, 4)} in [${fmtNumber(r.bracket_low, 4)}, ${fmtNumber(r.bracket_high, 4)}]${more}`;
}

// q of the theory's n * SNR^q line: the spec's fixed q, else the trainer's default.
export function sweepQ(spec: unknown): number {
  const fixed = (spec as { fixed?: { q?: unknown } } | null)?.fixed;
  return typeof fixed?.q === 'number' ? fixed.q : cellParamsSchema.parse({}).q;
}

export function renderBoundaries(records: BoundaryRecord[], slopes: BoundarySlope[]): string {
  if (records.length === 0) return 'boundaries: none yet (the first refinement round has not run)';
  const { axis, metric, threshold } = records[0];
  const lines = [
    `boundaries: where the seed-mean ${metric} crosses ${threshold} along ${axis}`,
    renderTable(
      ['group', `${axis}*`, 'rounds', 'cells'],
      records.map((r) => [groupLabel(r.group_values), describe(r), String(r.rounds), String(r.cells)]),
    ),
  ];
  for (const s of slopes) {
    const ci = s.ci95 ? ` (95% CI ${fmtNumber(s.ci95[0], 3)} to ${fmtNumber(s.ci95[1], 3)})` : ' (no CI)';
    const theory = s.theory_slope === null ? '' : `, theory ${fmtNumber(s.theory_slope, 3)}`;
    const where = groupLabel(s.where);
    lines.push(
      `slope d log ${axis}* / d log ${s.x_axis}${where ? ` [${where}]` : ''}: ${fmtNumber(s.slope, 3)}${ci}${theory}, ${s.groups} groups`,
    );
  }
  return lines.join('\n');
}
