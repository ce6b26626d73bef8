// The boundaries refine: found (store tables `boundaries` and `boundary_slopes`), for `show`,
// `show --json` and `export`: one object per group with its crossing, the seed-bootstrap interval and
// the grid bracket, and the log-log slope of the crossing against the group's sample size with its
// bootstrap interval next to the theory's slope. Everything here is read from the store, never refitted.
import { notComparedReason, slopeComparable, theoryLine } from '../../sweep/theory-lines.ts';
import { cellParamsSchema } from '../../trainer/index.ts';
import type { BoundaryRecord, BoundarySlopeRecord } from '../../store/boundaries.ts';
import { fmtNumber } from './format.ts';
import { renderTable } from './table.ts';

export interface BoundaryJson {
  [axis: string]: unknown;
  crossing: number | null;
  // Percentile interval of the crossing over bootstrap resamples of the group's seeds.
  ci95: [number, number] | null;
  seeds: number;
  resamples: number;
  // Resamples whose seed-mean curve never crossed (counted at the grid edge they point past).
  no_crossing: number;
  // The adjacent axis values the seed mean crosses between: where the grid is, not an uncertainty.
  grid_bracket: [number, number] | null;
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
  // The seed bootstrap's percentile interval (seeds resampled within every group, line refitted).
  ci95: [number, number] | null;
  // The OLS t-interval over the crossings, which ignores the seeds' noise: for comparison only.
  ols_ci95: [number, number] | null;
  resamples: number;
  // Resamples with fewer than two sample sizes crossing: no slope.
  failed_resamples: number;
  // Groups of this set not fitted, by sample size: non-monotone ones and ones without a crossing.
  left_out: { x: number; reason: string }[];
  // The slope of the paper's line for this method, q, p and metric (sweep/theory-lines.ts); null where
  // none applies, the refined axis is not SNR, or the line is a sufficient condition the sizes are too
  // close to d for (theory_note says so).
  theory_slope: number | null;
  theory_note: string | null;
}

/** The parameters a theory line depends on, where the groups do not vary them: the spec's fixed values. */
export interface TheoryContext {
  q: number;
  p: number;
  d: number;
}

const pair = (low: number | null, high: number | null): [number, number] | null =>
  low === null || high === null ? null : [low, high];

// Every field of a boundary after its group's coordinates, in the order the JSON and the CSV give them.
const BOUNDARY_FIELDS = {
  axis: (r: BoundaryRecord) => r.axis,
  metric: (r: BoundaryRecord) => r.metric,
  threshold: (r: BoundaryRecord) => r.threshold,
  kind: (r: BoundaryRecord) => r.kind,
  crossing: (r: BoundaryRecord) => r.crossing,
  ci95: (r: BoundaryRecord) => pair(r.ci95_low, r.ci95_high),
  seeds: (r: BoundaryRecord) => r.seeds,
  resamples: (r: BoundaryRecord) => r.resamples,
  no_crossing: (r: BoundaryRecord) => r.no_crossing,
  grid_bracket: (r: BoundaryRecord) => pair(r.bracket_low, r.bracket_high),
  crossings: (r: BoundaryRecord) => r.crossings,
  open_brackets: (r: BoundaryRecord) => r.open_brackets,
  rounds: (r: BoundaryRecord) => r.rounds,
  cells: (r: BoundaryRecord) => r.cells,
  traced: (r: BoundaryRecord) => r.traced,
} satisfies Record<string, (r: BoundaryRecord) => unknown>;
const PAIRS = new Set(['ci95', 'grid_bracket']);

export function boundariesJson(records: BoundaryRecord[]): BoundaryJson[] {
  return records.map(
    (r) =>
      ({
        ...r.group_values,
        ...Object.fromEntries(Object.entries(BOUNDARY_FIELDS).map(([name, of]) => [name, of(r)])),
      }) as BoundaryJson,
  );
}

/**
 * The boundaries as CSV rows (each [low, high] pair as two columns where it stood) and, for an export
 * with no boundaries, the header they would have after the leading columns and the group's.
 */
export function boundariesCsvRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).flatMap(([key, value]): [string, unknown][] =>
        PAIRS.has(key)
          ? [
              [`${key}_low`, (value as [number, number] | null)?.[0]],
              [`${key}_high`, (value as [number, number] | null)?.[1]],
            ]
          : [[key, value]],
      ),
    ),
  );
}

export const BOUNDARY_CSV_COLUMNS: readonly string[] = Object.keys(BOUNDARY_FIELDS).flatMap((name) =>
  PAIRS.has(name) ? [`${name}_low`, `${name}_high`] : [name],
);

// The stored slopes, each set against the theory line of its method, q, p and metric where paper-spec
// states one and the fitted sample sizes (those of the part's stored groups) allow the comparison.
export function boundarySlopes(
  slopes: BoundarySlopeRecord[],
  records: BoundaryRecord[],
  fixed: TheoryContext,
): BoundarySlope[] {
  return slopes.map((s) => {
    const at = (name: keyof TheoryContext): number =>
      typeof s.where_values[name] === 'number' ? s.where_values[name] : fixed[name];
    const part = records.filter(
      (r) =>
        r.axis === s.axis &&
        r.group_values[s.x_axis] !== undefined &&
        Object.entries(s.where_values).every(([k, v]) => r.group_values[k] === v),
    );
    const metric = part[0]?.metric ?? 'test_error';
    const theory =
      s.axis === 'snr' ? theoryLine(String(s.where_values.method), s.x_axis, at('q'), at('p'), metric) : null;
    const fitted = part.filter((r) => !s.left_out.some((l) => l.x === Number(r.group_values[s.x_axis])));
    const sizes = fitted.map((r) => Number(r.group_values[s.x_axis]));
    const compared = theory !== null && slopeComparable(theory, sizes, at('d'));
    return {
      where: s.where_values,
      x_axis: s.x_axis,
      groups: s.groups,
      slope: s.slope,
      ci95: pair(s.ci95_low, s.ci95_high),
      ols_ci95: pair(s.ols95_low, s.ols95_high),
      resamples: s.resamples,
      failed_resamples: s.failed_resamples,
      left_out: s.left_out,
      theory_slope: compared ? theory.slope : null,
      theory_note: theory !== null && !compared ? notComparedReason(theory, at('d')) : null,
    };
  });
}

function groupLabel(group: Record<string, string | number>): string {
  return Object.entries(group)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

const interval = (ci: [number, number] | null, digits: number) =>
  ci === null ? 'no CI' : `95% CI ${fmtNumber(ci[0], digits)} to ${fmtNumber(ci[1], digits)}`;

function describe(r: BoundaryRecord): string {
  const range = `${fmtNumber(r.range_low, 3)}..${fmtNumber(r.range_high, 3)}`;
  if (r.kind === 'all_above') return `no boundary in range: ${r.metric} >= ${r.threshold} over ${range}`;
  if (r.kind === 'all_below') return `no boundary in range: ${r.metric} < ${r.threshold} over ${range}`;
  if (r.kind === 'no_data') return 'no results';
  const off = r.no_crossing > 0 ? `, ${r.no_crossing}/${r.resamples} resamples off the grid` : '';
  const more =
    r.kind === 'non_monotone' ? ` (non-monotone: ${r.crossings} crossings, left out of the slope)` : '';
  return `${fmtNumber(r.crossing, 4)} (${interval(pair(r.ci95_low, r.ci95_high), 4)}, ${r.seeds} seeds${off}) grid [${fmtNumber(r.bracket_low, 4)}, ${fmtNumber(r.bracket_high, 4)}]${more}`;
}

// q, p and d of the theory's lines: the spec's fixed values, else the trainer's defaults.
export function sweepTheoryContext(spec: unknown): TheoryContext {
  const fixed = (spec as { fixed?: Record<string, unknown> } | null)?.fixed ?? {};
  const defaults = cellParamsSchema.parse({});
  const value = (name: keyof TheoryContext): number => {
    const v = fixed[name];
    return typeof v === 'number' ? v : defaults[name];
  };
  return { q: value('q'), p: value('p'), d: value('d') };
}

export function renderBoundaries(records: BoundaryRecord[], slopes: BoundarySlope[]): string {
  if (records.length === 0) return 'boundaries: none yet (the first refinement round has not run)';
  const { axis, metric, threshold } = records[0];
  const lines = [
    `boundaries: where the seed-mean ${metric} crosses ${threshold} along ${axis} (95% CI: bootstrap over seeds)`,
    renderTable(
      ['group', `${axis}*`, 'rounds', 'cells'],
      records.map((r) => [
        // Rows refine.trace added between the grid's.
        `${groupLabel(r.group_values)}${r.traced ? ' (traced)' : ''}`,
        describe(r),
        String(r.rounds),
        String(r.cells),
      ]),
    ),
  ];
  for (const s of slopes) {
    const ols = s.ols_ci95 ? `; OLS ${fmtNumber(s.ols_ci95[0], 3)} to ${fmtNumber(s.ols_ci95[1], 3)}` : '';
    const theory =
      s.theory_slope !== null
        ? `, theory ${fmtNumber(s.theory_slope, 3)}`
        : s.theory_note
          ? `; ${s.theory_note}`
          : '';
    const where = groupLabel(s.where);
    const out =
      s.left_out.length === 0
        ? ''
        : `; left out: ${s.left_out.map((l) => `${s.x_axis}=${l.x} (${l.reason.replace('_', '-')})`).join(', ')}`;
    lines.push(
      `slope d log ${axis}* / d log ${s.x_axis}${where ? ` [${where}]` : ''}: ${fmtNumber(s.slope, 3)} (${interval(s.ci95, 3)}${ols})${theory}, ${s.groups} groups${out}`,
    );
  }
  return lines.join('\n');
}
