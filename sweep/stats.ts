import erfcinv from '@stdlib/math-base-special-erfcinv';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import padjust from '@stdlib/stats-padjust';
import tQuantileOf from '@stdlib/stats-base-dists-t-quantile';

export function mean(values: number[]): number {
  if (values.length === 0) return NaN;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

// The p-quantile of Student's t with df degrees of freedom (for confidence intervals over a few seeds,
// where the normal 1.96 is far too narrow: t(0.975, 1) = 12.7).
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError('tQuantile needs 0 < p < 1 and df > 0');
  return tQuantileOf(p, df);
}

/** A metric over the seeds of a grid point: count, mean and 95% t interval (null where undefined). */
export interface MetricSummary {
  n: number;
  mean: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
}

/**
 * Mean and 95% Student t interval from a metric's count, mean and sample standard deviation: the one
 * definition of the interval. SQL computes the same through t975(), written from t975Sql() below.
 */
export function summarizeMetric(n: number, mean: number | null, sd: number | null): MetricSummary {
  if (n < 2 || mean === null || sd === null) return { n, mean, ci95_low: null, ci95_high: null };
  const half = (tQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, ci95_low: mean - half, ci95_high: mean + half };
}

// SQL has no t quantile, so t975Sql gives it tQuantile's own values up to T975_TABLE_DF degrees of
// freedom and, above, the Cornish-Fisher expansion in 1/df around the normal quantile (Abramowitz &
// Stegun 26.7.5), whose relative error there is below 2e-13.
export const T975_TABLE_DF = 300;
const Z = Math.SQRT2 * erfcinv(0.05);
const CORNISH_FISHER = [
  (Z ** 3 + Z) / 4,
  (5 * Z ** 5 + 16 * Z ** 3 + 3 * Z) / 96,
  (3 * Z ** 7 + 19 * Z ** 5 + 17 * Z ** 3 - 15 * Z) / 384,
  (79 * Z ** 9 + 776 * Z ** 7 + 1482 * Z ** 5 - 1920 * Z ** 3 - 945 * Z) / 92160,
];

/**
 * The SQL function t975(df), the 0.975 quantile of Student's t with df degrees of freedom, that
 * grid_point_stats computes its intervals with. Numbers are written in JavaScript's shortest
 * round-trip form, which Postgres reads back to the same double.
 */
export function t975Sql(): string {
  const table = Array.from({ length: T975_TABLE_DF }, (_, i) => String(tQuantile(0.975, i + 1)));
  const rows = [];
  for (let i = 0; i < table.length; i += 6) rows.push(`      ${table.slice(i, i + 6).join(', ')}`);
  // Horner's form in v = 1/df.
  const expansion = CORNISH_FISHER.reduceRight((inner, g) => `v * (${g}${inner ? ` + ${inner}` : ''})`, '');
  return [
    'CREATE OR REPLACE FUNCTION t975(df integer) RETURNS double precision',
    'LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$',
    '  SELECT CASE',
    '    WHEN df < 1 THEN NULL',
    `    WHEN df <= ${T975_TABLE_DF} THEN ('{`,
    rows.join(',\n'),
    "    }'::double precision[])[df]",
    `    ELSE ${Z} + ${expansion}`,
    '  END',
    '  FROM (SELECT 1.0::double precision / df AS v) AS inverse',
    '$$;',
    '',
  ].join('\n');
}

// A sample as the grid_point_stats view summarizes it: size, mean and sample standard deviation
// (n - 1 in the denominator; null below two values, as SQL's stddev_samp).
export interface SampleSummary {
  n: number;
  mean: number;
  sd: number | null;
}

/** Size, mean and sample standard deviation of values (sd null below two, as SQL's stddev_samp). */
export function summarizeSample(values: number[]): SampleSummary {
  const n = values.length;
  const mu = mean(values);
  const sd = n < 2 ? null : Math.sqrt(values.reduce((s, v) => s + (v - mu) ** 2, 0) / (n - 1));
  return { n, mean: mu, sd };
}

export interface WelchResult {
  t: number;
  df: number;
  // Two-sided p-value for "the two means are equal".
  p: number;
}

/**
 * Welch's two-sample t-test from summaries (unequal variances, Welch-Satterthwaite degrees of freedom).
 * Undefined below two values on a side: returns null. With no spread on either side the data are
 * exact: equal means give p = 1, different ones p = 0.
 */
export function welchTest(a: SampleSummary, b: SampleSummary): WelchResult | null {
  if (a.n < 2 || b.n < 2 || a.sd === null || b.sd === null) return null;
  const va = a.sd ** 2 / a.n;
  const vb = b.sd ** 2 / b.n;
  const se = Math.sqrt(va + vb);
  const diff = b.mean - a.mean;
  if (se === 0)
    return { t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df: a.n + b.n - 2, p: diff === 0 ? 1 : 0 };
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const t = diff / se;
  return { t, df, p: 2 * tCdf(-Math.abs(t), df) };
}

// Benjamini-Hochberg adjusted p-values (q-values), in the order given: rejecting every hypothesis
// whose q-value is at most `level` keeps the expected share of false discoveries at most `level`.
export function benjaminiHochberg(pValues: number[]): number[] {
  return pValues.length === 0 ? [] : padjust(pValues, 'bh');
}
