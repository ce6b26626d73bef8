import { fitLogLog } from './boundary.ts';
import {
  bootstrapRng,
  firstCrossing,
  quantile,
  resampleCount,
  type CrossingScale,
  type SeedTable,
} from './crossing-interval.ts';
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
// It treats the crossings as exact and independent, so it ignores the seeds' noise: shown beside the
// bootstrap interval, never instead of it.
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

// A group of the fit: its sample size and its cells by seed.
export interface SlopeGroup {
  x: number;
  table: SeedTable;
}

export interface SlopeInterval {
  // The least-squares slope through the groups' seed-mean crossings.
  slope: number;
  // Percentile interval over resamples that redraw the seeds within every group and refit.
  ci95: [number, number] | null;
  // The OLS t-interval over the crossings (SlopeFit), for comparison.
  ols95: [number, number] | null;
  groups: number;
  resamples: number;
  // Resamples left with fewer than two sample sizes with a crossing: no slope, so out of the interval.
  failed: number;
}

// The slope's interval by the seed bootstrap: the groups' seeds are resampled independently (seeds
// are nested in groups), every group's crossing recomputed by the same interpolation, the line refitted.
export function slopeInterval(
  groups: SlopeGroup[],
  options: { threshold: number; scale: CrossingScale; resamples?: number; seed?: number; level?: number },
): SlopeInterval | null {
  const { threshold, scale, level = 0.95 } = options;
  const points = groups.flatMap((g) => {
    const y = firstCrossing(g.table.curve(), threshold, scale);
    return y !== null && y > 0 ? [{ x: g.x, y }] : [];
  });
  if (new Set(points.map((p) => p.x)).size < 2) return null;
  const ols = fitSlope(points, level);
  const resamples = resampleCount(options);
  const rng = bootstrapRng(options.seed);
  const slopes: number[] = [];
  let failed = 0;
  for (let b = 0; b < resamples; b++) {
    const drawn = groups.flatMap((g) => {
      const y = g.table.crossingOf(g.table.resample(rng), threshold, scale).at;
      return y !== null && y > 0 ? [{ x: g.x, y }] : [];
    });
    if (new Set(drawn.map((p) => p.x)).size < 2) failed++;
    else slopes.push(fitLogLog(drawn).slope);
  }
  slopes.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return {
    slope: ols.slope,
    ci95: slopes.length === 0 ? null : [quantile(slopes, tail), quantile(slopes, 1 - tail)],
    ols95: ols.low === null || ols.high === null ? null : [ols.low, ols.high],
    groups: points.length,
    resamples,
    failed,
  };
}
