import { studentTQuantile } from './student-t.ts';

export function mean(values: number[]): number {
  if (values.length === 0) return NaN;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

// Sample standard deviation (n - 1 in the denominator), as SQL's stddev_samp; NaN below two values
// (SQL gives NULL).
export function sampleSd(values: number[]): number {
  if (values.length < 2) return NaN;
  const m = mean(values);
  return Math.sqrt(values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (values.length - 1));
}

export interface Summary {
  n: number;
  mean: number;
  sd: number;
  // Half-width of the two-sided confidence interval: mean ± halfWidth.
  halfWidth: number;
  low: number;
  high: number;
}

// Mean with a two-sided Student t confidence interval (default 95%). With one value the interval is
// unknown (NaN), not zero-width.
export function summarize(values: number[], level = 0.95): Summary {
  const n = values.length;
  const m = mean(values);
  const sd = sampleSd(values);
  const halfWidth = n < 2 ? NaN : (studentTQuantile(1 - (1 - level) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean: m, sd, halfWidth, low: m - halfWidth, high: m + halfWidth };
}
