// How the phase boundary's SNR scales with the sample size n (paper-spec 6.1, 6.5 item 8; theory:
// n * SNR*^q = constant, slope -1/q in log-log). Where the boundary lies is crossing-interval.ts's.

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
