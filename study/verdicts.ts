import type { MetricSummary } from '../sweep/stats.ts';

/** How a's 95% interval lies against b's: wholly below, wholly above, overlapping, or not defined. */
export type Order = 'lower' | 'higher' | 'overlap' | 'unknown';

export function order(a: MetricSummary, b: MetricSummary): Order {
  if (a.ci95_low === null || a.ci95_high === null || b.ci95_low === null || b.ci95_high === null) {
    return 'unknown';
  }
  if (a.ci95_high < b.ci95_low) return 'lower';
  if (a.ci95_low > b.ci95_high) return 'higher';
  return 'overlap';
}

/** What a statement says of a against b. */
export const EXPECTATIONS = ['lower', 'higher', 'differs', 'same'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export const OUTCOMES = ['holds', 'fails', 'unresolved', 'unmeasured'] as const;
export type Outcome = (typeof OUTCOMES)[number];

// Separated intervals decide; overlapping ones decide only "same" (no difference the seeds can resolve).
export function outcome(found: Order, expected: Expectation): Outcome {
  if (found === 'unknown') return 'unmeasured';
  if (expected === 'same') return found === 'overlap' ? 'holds' : 'fails';
  if (found === 'overlap') return 'unresolved';
  if (expected === 'differs') return 'holds';
  return found === expected ? 'holds' : 'fails';
}

/** A statement's verdict over all its rows (regimes, SNRs, comparisons). */
export const VERDICTS = ['supported', 'contradicted', 'mixed', 'not resolved'] as const;
export type Verdict = (typeof VERDICTS)[number];

export function verdictOf(outcomes: Outcome[]): Verdict {
  const holds = outcomes.includes('holds');
  const fails = outcomes.includes('fails');
  if (holds && fails) return 'mixed';
  if (holds) return 'supported';
  if (fails) return 'contradicted';
  return 'not resolved';
}
