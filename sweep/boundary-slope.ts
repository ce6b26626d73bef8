import { fitLogLog } from './boundary.ts';
import { tQuantile } from './stats.ts';

export interface SlopeFit {
  slope: number;
  // Two-sided confidence interval of the slope (Student t with n - 2 degrees of freedom); null with
  // two points, where the residuals say nothing.
  low: number | null;
  high: number | null;
  points: number;
}

// The log-log slope of y against x with its confidence interval, as ordinary least squares gives it.
export function fitSlope(points: { x: number; y: number }[], level = 0.95): SlopeFit {
  const fit = fitLogLog(points);
  const n = points.length;
  if (n < 3) return { slope: fit.slope, low: null, high: null, points: n };
  const xs = points.map((p) => Math.log(p.x));
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sse = 0;
  points.forEach((p, i) => {
    sxx += (xs[i] - mx) ** 2;
    sse += (Math.log(p.y) - (fit.intercept + fit.slope * xs[i])) ** 2;
  });
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const half = tQuantile(1 - (1 - level) / 2, n - 2) * se;
  return { slope: fit.slope, low: fit.slope - half, high: fit.slope + half, points: n };
}
