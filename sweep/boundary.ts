// Phase-boundary estimation (paper-spec 6.1, 6.5 item 8): where test error drops from ~0.5 to ~0, and
// how that SNR scales with the sample size n (theory: n * SNR*^q = constant, slope -1/q in log-log).

export interface AxisPoint {
  /** position on the axis scanned (SNR, a sample size, any numeric parameter) */
  at: number;
  /** seed-mean metric there */
  value: number;
}

// Where the metric first crosses `threshold` going up the axis, in either direction (an error falls
// through it, an alignment rises through it), interpolated between the two grid points around the
// crossing: linearly in log(at) on a log axis, linearly in `at` otherwise. Null when it never crosses
// (the boundary is off the grid). On a log axis a crossing from 0 cannot be interpolated and gives the
// first point past it.
export function boundaryCrossing(
  points: AxisPoint[],
  threshold = 0.25,
  scale: 'log' | 'linear' = 'log',
): number | null {
  const sorted = points
    .filter((p) => Number.isFinite(p.at) && (scale === 'linear' || p.at >= 0) && Number.isFinite(p.value))
    .sort((a, b) => a.at - b.at);
  const side = (v: number): boolean => v >= threshold;
  for (let i = 1; i < sorted.length; i++) {
    const lo = sorted[i - 1];
    const hi = sorted[i];
    if (side(lo.value) === side(hi.value)) continue;
    if (scale === 'log' && lo.at === 0) return hi.at;
    const t = (lo.value - threshold) / (lo.value - hi.value);
    return scale === 'log'
      ? Math.exp(Math.log(lo.at) + t * (Math.log(hi.at) - Math.log(lo.at)))
      : lo.at + t * (hi.at - lo.at);
  }
  return null;
}

export interface LogLogFit {
  // log y = intercept + slope * log x (natural logarithms)
  slope: number;
  intercept: number;
  r2: number;
}

// Least squares on (ln x, ln y). Needs at least two points with distinct positive x and positive y.
export function fitLogLog(points: { x: number; y: number }[]): LogLogFit {
  for (const p of points) {
    if (!(p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y))) {
      throw new RangeError(`fitLogLog needs positive finite x and y, got (${p.x}, ${p.y})`);
    }
  }
  const xs = points.map((p) => Math.log(p.x));
  const ys = points.map((p) => Math.log(p.y));
  const n = points.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (n < 2 || sxx === 0) throw new RangeError('fitLogLog needs at least two points with distinct x');
  const slope = sxy / sxx;
  // A perfectly flat y is fitted exactly.
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2 };
}

// The theory's invariant along the boundary: n * SNR*^q stays roughly constant ([CAO22]).
export function theoryConstant(n: number, snrStar: number, q: number): number {
  return n * snrStar ** q;
}
