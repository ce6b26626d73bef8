import { fmtAxis, fmtError, fmtNumber } from './format.ts';
import { shortHash } from '../../sweep/code-versions.ts';
import { gridParamsOf } from '../../sweep/axes.ts';
import { SETTINGS, type DriftPoint, type DriftReport, type DriftTest } from '../../sweep/drift.ts';

const ci = (c: [number, number] | null): string => (c ? `[${fmtError(c[0])},${fmtError(c[1])}]` : '[no CI]');

// Settings other than method, n, n0 and SNR that differ among the moved points (say, the projection
// head), as `name=value` per point, so that two rows at the same n, n0 and SNR are told apart. Records
// written before points carried their params have none.
function otherSettings(moved: DriftPoint[]): string[] {
  const settings = moved.map((m) => (m.params && !isNamed(m) ? gridParamsOf(m.params) : undefined));
  const shown = SETTINGS.filter(
    (s) => new Set(settings.map((p) => (p ? JSON.stringify(p[s] ?? null) : ''))).size > 1,
  );
  return settings.map((p) => (p ? shown.map((s) => `${s}=${p[s] ?? 'default'}`).join(' ') : ''));
}

// A program's point (`method: command`): no CNN coordinates, its parameters by its own names.
const isNamed = (m: DriftPoint): boolean => m.snr === null && m.n_labels === null;

const namedCoordinates = (m: DriftPoint): string =>
  Object.entries(m.params ?? {})
    .filter(([name]) => name !== 'method')
    .map(([name, value]) => `${name}=${typeof value === 'number' ? fmtNumber(value) : String(value)}`)
    .join(' ');

// How each test is named in the moved-points table; points recorded before paired tests were Welch.
const TEST_LABEL: Record<DriftTest, string> = { welch: 'welch', paired_t: 'paired-t', wilcoxon: 'wilcoxon' };

/** The fields of a drift (a report or a stored record) its headline reads. */
export interface DriftCounts {
  compared: number;
  // Null for records stored before it was counted: they say nothing about cache hits.
  retrained: number | null;
  moved: number;
}

export const NOTHING_RETRAINED = 'nothing retrained: every cell is a cache hit';

/**
 * The one line that sums up a drift, for `drift` and for the drift record `show` displays: when no
 * compared point has a retrained cell, the numbers on both sides are the same stored ones, and
 * "0 moved" would claim a measurement that was never made.
 */
export function driftHeadline(d: DriftCounts, labelA: string, labelB: string): string {
  if (d.retrained === 0) {
    return `${NOTHING_RETRAINED} (${d.compared} grid points, ${labelA} → ${labelB}): the same stored numbers on both sides, nothing to test`;
  }
  const cached = d.retrained === null ? 0 : d.compared - d.retrained;
  return (
    `${d.moved} of ${d.compared} grid points moved (${labelA} → ${labelB})` +
    (cached > 0 ? `; ${cached} of the ${d.compared} all cache hits, not tested` : '')
  );
}

/** What a stored drift record (or a scheduled run's outcome) was tested against. */
export interface DriftBaselineFields {
  baseline_sweep_id: string;
  baseline_runs: number;
  // A program's versions, tonight's and the baseline's (sweep/drift-baseline.ts): null or absent for a
  // built-in method and in records from before versions were told apart.
  code_hash?: string | null;
  baseline_code_hash?: string | null;
}

/** The baseline in a headline: its run, or how many runs it pools. */
export const baselineLabel = (d: DriftBaselineFields): string =>
  d.baseline_runs > 1 ? `${d.baseline_runs} earlier runs` : d.baseline_sweep_id;

/** The baseline in a sentence, `drift against … of schedule X` (`show`, `drift <sweep>`). */
export const scheduleBaseline = (d: DriftBaselineFields): string =>
  d.baseline_runs > 1 ? `all ${d.baseline_runs} earlier runs` : 'the previous run';

/**
 * Which versions of a program a scheduled drift compared, naming both: tonight's against earlier runs of
 * itself, or, after a change of the program, against the version before it (or the one `drift
 * --code-hash` chose). Null for a built-in method.
 */
export function versionNote(d: DriftBaselineFields): string | null {
  const [before, now] = [d.baseline_code_hash ?? null, d.code_hash ?? null];
  if (before === null || now === null) return null;
  return before === now
    ? `program ${shortHash(now)}: against earlier runs of the same version`
    : `program changed ${shortHash(before)} → ${shortHash(now)}: the two versions compared`;
}

/** The headline of a stored drift record (`show`) or of a scheduled run's drift (`schedule trigger`). */
export function recordHeadline(d: DriftCounts & DriftBaselineFields, sweepId: string): string {
  const note = versionNote(d);
  return driftHeadline(d, baselineLabel(d), sweepId) + (note ? `; ${note}` : '');
}

/** A drift record in a table cell (`schedule describe`), in the headline's terms. */
export function driftBrief(d: DriftCounts & DriftBaselineFields): string {
  const note = versionNote(d);
  const version = note ? ` (${note})` : '';
  if (d.retrained === 0) return `nothing retrained (all cache hits)${version}`;
  return `${d.moved}/${d.compared} moved vs ${baselineLabel(d)}${version}`;
}

/** The table of moved grid points, for `drift` and for the drift record `show` displays. */
export function renderMovedPoints(moved: DriftPoint[]): string[] {
  if (moved.length === 0) return [];
  if (moved.every(isNamed)) return renderMovedNamedPoints(moved);
  const others = otherSettings(moved);
  const lines = [
    `${'method'.padEnd(11)} ${'n'.padStart(5)} ${'n0'.padStart(5)} ${'SNR'.padStart(5)}  before            after             Δ      q     test`,
  ];
  for (const [i, m] of moved.entries()) {
    lines.push(
      `${m.method.padEnd(11)} ${String(m.n_labels).padStart(5)} ${(m.n_unlabeled === null ? '-' : String(m.n_unlabeled)).padStart(5)} ` +
        `${(m.snr === null ? '-' : fmtAxis(m.snr)).padStart(5)}  ${fmtError(m.before).padStart(4)} ${ci(m.before_ci).padEnd(12)} ` +
        `${fmtError(m.after).padStart(4)} ${ci(m.after_ci).padEnd(12)} ${m.delta >= 0 ? '+' : ''}${m.delta.toFixed(2)}  ` +
        fmtNumber(m.q_value).padEnd(5) +
        ` ${TEST_LABEL[m.test ?? 'welch']}` +
        (others[i] ? `  ${others[i]}` : ''),
    );
  }
  return lines;
}

// A program's points: its parameters by name, and its metric, whatever its range, in plain numbers.
// Four significant digits: a program's metric has any range, and its intervals must stay apart.
function renderMovedNamedPoints(moved: DriftPoint[]): string[] {
  const v = (x: number): string => fmtNumber(x, 4);
  const num = (c: [number, number] | null): string => (c ? `[${v(c[0])},${v(c[1])}]` : '[no CI]');
  return [
    'point  before [95% CI]  after [95% CI]  Δ  q  test',
    ...moved.map(
      (m) =>
        `${namedCoordinates(m)}  ${v(m.before)} ${num(m.before_ci)}  ${v(m.after)} ${num(m.after_ci)}  ` +
        `${m.delta >= 0 ? '+' : ''}${v(m.delta)}  ${fmtNumber(m.q_value)}  ${TEST_LABEL[m.test ?? 'welch']}`,
    ),
  ];
}

export function renderDrift(
  report: DriftReport,
  labelA: string,
  labelB: string,
  metric = 'test_error',
): string {
  const lines: string[] = [];
  if (metric !== 'test_error') lines.push(`metric: ${metric}`);
  const { a, b } = report.code_hashes;
  if (a.length > 0 || b.length > 0) {
    const hashes = (list: string[]) => (list.length > 0 ? list.join(', ') : '-');
    const same = a.length === b.length && a.every((h, i) => h === b[i]);
    lines.push(`code ${same ? 'unchanged' : 'changed'}: ${hashes(a)} → ${hashes(b)}`);
  }
  if (report.settings_differ.length > 0) {
    const diffs = report.settings_differ.map((d) => `${d.setting} ${d.a} → ${d.b}`).join(', ');
    lines.push(
      `fixed settings differ (${labelA} → ${labelB}): ${diffs}. The sweeps measure different things: ` +
        'a moved point below shows the effect of that change, not drift.',
    );
  }
  lines.push(
    driftHeadline({ ...report, moved: report.moved.length }, labelA, labelB) +
      (report.only_in_a + report.only_in_b > 0
        ? `; ${report.only_in_a} only in ${labelA}, ${report.only_in_b} only in ${labelB}`
        : ''),
  );
  if (report.retrained > 0) {
    lines.push(
      `tested: ${report.paired} on per-seed differences (same seeds retrained), ` +
        `${report.tested - report.paired} by Welch's t-test; Benjamini-Hochberg FDR ${report.fdr}, |Δ| ≥ ${report.min_delta}`,
    );
  }
  if (report.tested < report.retrained) {
    lines.push(
      `${report.retrained - report.tested} retrained points not tested: fewer than two seeds with a ${metric.replaceAll('_', ' ')} in a sweep ` +
        '(give both sweeps 4 or more seeds, e.g. `seed: { range: [0, 4] }`, to test every point)',
    );
  }
  return [...lines, ...renderMovedPoints(report.moved)].join('\n');
}
