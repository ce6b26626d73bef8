import ttest from '@stdlib/stats-ttest';
import wilcoxon from '@stdlib/stats-wilcoxon';
import { mean } from './stats.ts';
import { roundSignificant } from './values.ts';

// A test of "no change" on paired samples: the same seeds (so the same data and initial weights)
// trained twice, say under two trainer versions. Testing the per-seed differences removes the
// seed-to-seed spread that Welch's unpaired test has to carry.
//
// The rule (README "Drift"): the paired t-test on the differences, unless they are far from normal
// and there are enough of them for the signed-rank test to have power, then the Wilcoxon signed-rank
// test. Far from normal: a sample skewness (adjusted Fisher-Pearson, G1) beyond ±SKEW_LIMIT, or a
// difference more than OUTLIER_MADS scaled median absolute deviations from the median (one diverging
// seed, say). Enough: WILCOXON_MIN_PAIRS non-zero differences (the test drops zeros). With n of them
// its smallest two-sided p-value is 2/2^n: 0.0625 at 5, 0.031 at 6, 0.002 at 10; below 10 it could
// hardly survive the Benjamini-Hochberg step across a grid, while the t-test is still fair there
// (a seed that learns against one that does not is the usual shape, and its mean is what moved).

export const PAIRED_TESTS = ['paired_t', 'wilcoxon'] as const;
export type PairedTestName = (typeof PAIRED_TESTS)[number];

export const WILCOXON_MIN_PAIRS = 10;
export const SKEW_LIMIT = 1;
export const OUTLIER_MADS = 3;
// Scales the median absolute deviation to the standard deviation of a normal sample.
const MAD_TO_SD = 1.4826;

export interface PairedResult {
  test: PairedTestName;
  // The t statistic, or the signed-rank sum of the positive differences (V).
  statistic: number;
  // Two-sided p-value for "the differences are centred on zero".
  p: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Adjusted Fisher-Pearson sample skewness G1 (as scipy.stats.skew with bias=False); 0 without spread. */
export function sampleSkewness(values: number[]): number {
  const n = values.length;
  if (n < 3) return 0;
  const mu = mean(values);
  const m2 = values.reduce((s, v) => s + (v - mu) ** 2, 0) / n;
  const m3 = values.reduce((s, v) => s + (v - mu) ** 3, 0) / n;
  if (m2 === 0) return 0;
  return (Math.sqrt(n * (n - 1)) / (n - 2)) * (m3 / m2 ** 1.5);
}

/** Whether differences are far enough from normal for the signed-rank test (the rule above). */
export function farFromNormal(diffs: number[]): boolean {
  if (diffs.filter((d) => d !== 0).length < WILCOXON_MIN_PAIRS) return false;
  if (diffs.every((d) => d === diffs[0])) return false;
  if (Math.abs(sampleSkewness(diffs)) > SKEW_LIMIT) return true;
  const med = median(diffs);
  const spread = MAD_TO_SD * median(diffs.map((d) => Math.abs(d - med)));
  return diffs.some((d) => Math.abs(d - med) > OUTLIER_MADS * spread);
}

/**
 * Paired test of after[i] - before[i] (the same seed on both sides, in the same order). Null below two
 * pairs. Differences without spread are exact: all zero gives p = 1, any other constant p = 0.
 */
export function pairedTest(before: number[], after: number[]): PairedResult | null {
  if (before.length !== after.length) throw new RangeError('paired samples must have the same length');
  if (before.length < 2) return null;
  // Rounded as grid values are: test errors are fractions k / n_test, and the float noise of their
  // differences (0.12 - 0.1 against 0.13 - 0.11) must not break the ties the ranks depend on.
  const diffs = after.map((a, i) => roundSignificant(a - before[i]));
  const far = farFromNormal(diffs);
  if (diffs.every((d) => d === diffs[0])) {
    const d = diffs[0];
    return { test: 'paired_t', statistic: d === 0 ? 0 : Math.sign(d) * Infinity, p: d === 0 ? 1 : 0 };
  }
  if (far) {
    // Zero differences are dropped (Wilcoxon's own convention, scipy's default); below 50 pairs without
    // ties or zeros the p-value is exact, else the normal approximation with continuity correction.
    const out = wilcoxon(diffs, { zeroMethod: 'wilcox', correction: true });
    return { test: 'wilcoxon', statistic: out.statistic, p: out.pValue };
  }
  const out = ttest(after, before);
  return { test: 'paired_t', statistic: out.statistic, p: out.pValue };
}
