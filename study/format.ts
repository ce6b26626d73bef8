import type { MetricSummary } from '../sweep/stats.ts';
import type { Variant, VariantResult } from './summarize.ts';

const num = (x: number) => (Math.abs(x) >= 100 ? x.toPrecision(3) : x.toFixed(2));

/** "mean [low, high]" of the 95% interval; the mean alone below two seeds; "–" when nothing was measured. */
export function formatSummary(s: MetricSummary | undefined): string {
  if (!s || s.mean === null) return '–';
  if (s.ci95_low === null || s.ci95_high === null) return `${num(s.mean)} (n = ${s.n})`;
  return `${num(s.mean)} [${num(s.ci95_low)}, ${num(s.ci95_high)}]`;
}

/** A difference that may be far below the tables' two decimals: its leading digits and exponent. */
export function formatDifference(x: number | null): string {
  if (x === null) return '–';
  if (x === 0) return '0';
  return x >= 0.01 ? x.toFixed(3) : x.toExponential(1);
}

export function formatVariant(variant: Variant): string {
  return Object.entries(variant)
    .map(([axis, value]) => `${axis} ${String(value)}`)
    .join(', ');
}

export function formatLr(lr: number | null): string {
  return lr === null ? '–' : String(lr);
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** "k of n": the variant's diverged cells among its reported seeds with a result. */
export function formatDiverged(r: Pick<VariantResult, 'done' | 'diverged'>): string {
  return `${r.diverged} of ${r.done}`;
}
