// The one crossing engine (README "Refining the boundary"): where a seed-mean curve crosses a
// threshold along an axis, and how far that crossing moves when the seeds are resampled. The refine
// planner, the stored boundaries, the views and the slope fit all call these, so a crossing is
// interpolated one way everywhere.
import { Rng } from '../trainer/index.ts';

export const CROSSING_SCALES = ['log', 'linear'] as const;
export type CrossingScale = (typeof CROSSING_SCALES)[number];

export interface CurvePoint {
  // Position on the axis scanned (SNR, a sample size, any numeric parameter).
  at: number;
  // The seed-mean metric there.
  value: number;
}

export interface Crossing {
  low: number;
  high: number;
  lowValue: number;
  highValue: number;
  // Where the curve reaches the threshold between low and high.
  at: number;
}

// A value exactly at the threshold counts as above it, for every caller alike.
export function isAbove(value: number, threshold: number): boolean {
  return value >= threshold;
}

// Linear in log(at) on a log axis, linear in `at` otherwise. On a log axis a crossing from 0 cannot be
// interpolated and gives the first point past it.
export function interpolateCrossing(
  lo: CurvePoint,
  hi: CurvePoint,
  threshold: number,
  scale: CrossingScale,
): number {
  const t = (lo.value - threshold) / (lo.value - hi.value);
  if (scale === 'linear') return lo.at + t * (hi.at - lo.at);
  if (lo.at <= 0) return hi.at;
  return Math.exp(Math.log(lo.at) + t * (Math.log(hi.at) - Math.log(lo.at)));
}

function usable(points: CurvePoint[], scale: CrossingScale): CurvePoint[] {
  return points
    .filter((p) => Number.isFinite(p.at) && (scale === 'linear' || p.at >= 0) && Number.isFinite(p.value))
    .sort((a, b) => a.at - b.at);
}

// Every crossing of the curve going up the axis, in either direction (an error falls through the
// threshold, an alignment rises through it). More than one: the curve is non-monotone there.
export function curveCrossings(points: CurvePoint[], threshold: number, scale: CrossingScale): Crossing[] {
  const sorted = usable(points, scale);
  const out: Crossing[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const lo = sorted[i - 1];
    const hi = sorted[i];
    if (isAbove(lo.value, threshold) === isAbove(hi.value, threshold)) continue;
    out.push({
      low: lo.at,
      high: hi.at,
      lowValue: lo.value,
      highValue: hi.value,
      at: interpolateCrossing(lo, hi, threshold, scale),
    });
  }
  return out;
}

// The first crossing going up the axis; null when the curve never crosses (the boundary is off the grid).
export function firstCrossing(points: CurvePoint[], threshold: number, scale: CrossingScale): number | null {
  const sorted = usable(points, scale);
  for (let i = 1; i < sorted.length; i++) {
    const lo = sorted[i - 1];
    const hi = sorted[i];
    if (isAbove(lo.value, threshold) !== isAbove(hi.value, threshold)) {
      return interpolateCrossing(lo, hi, threshold, scale);
    }
  }
  return null;
}

// One cell of a group: its axis value, its seed and its metric (null: no result, or diverged).
export interface SeedValue {
  at: number;
  seed: number;
  value: number | null;
}

// A group's cells laid out for resampling: per axis value, the metric of each seed (NaN where absent).
export class SeedTable {
  readonly axis: number[];
  readonly seeds: number[];
  // values[i][s]: the metric at axis[i] for seeds[s]
  private readonly values: number[][];

  constructor(cells: SeedValue[]) {
    const present = cells.filter(
      (c) => c.value !== null && Number.isFinite(c.value) && Number.isFinite(c.at),
    );
    this.axis = [...new Set(present.map((c) => c.at))].sort((a, b) => a - b);
    this.seeds = [...new Set(present.map((c) => c.seed))].sort((a, b) => a - b);
    const row = new Map(this.axis.map((a, i) => [a, i]));
    const col = new Map(this.seeds.map((s, i) => [s, i]));
    const sums = this.axis.map(() => this.seeds.map(() => 0));
    const counts = this.axis.map(() => this.seeds.map(() => 0));
    for (const c of present) {
      const i = row.get(c.at)!;
      const s = col.get(c.seed)!;
      sums[i][s] += c.value!;
      counts[i][s] += 1;
    }
    // A seed repeated at one axis value (it should not be) counts once, by its mean.
    this.values = sums.map((r, i) => r.map((sum, s) => (counts[i][s] > 0 ? sum / counts[i][s] : NaN)));
  }

  // The seed-mean curve with seed s counted weights[s] times (all ones: the plain seed mean). Axis
  // values where no counted seed has a value are left out.
  curve(weights?: number[]): CurvePoint[] {
    const out: CurvePoint[] = [];
    this.values.forEach((r, i) => {
      let sum = 0;
      let n = 0;
      r.forEach((v, s) => {
        const w = weights ? weights[s] : 1;
        if (w === 0 || Number.isNaN(v)) return;
        sum += w * v;
        n += w;
      });
      if (n > 0) out.push({ at: this.axis[i], value: sum / n });
    });
    return out;
  }

  // firstCrossing of curve(weights), without building the curve: the bootstrap's inner loop. Also
  // whether that curve starts above the threshold (null: it has no point). With `rng`, an axis value
  // none of whose seeds is counted has its own seeds resampled instead of being left out: cells seeded
  // beyond the rest of their group (refine.seeds: 32 seeds beside the crossing, 2 far from it) would
  // otherwise drop the far values from every resample that misses their two seeds, and a curve cut
  // short of the crossing puts the interval's end on the grid's edge however many seeds are added.
  crossingOf(
    weights: number[] | undefined,
    threshold: number,
    scale: CrossingScale,
    rng?: Rng,
  ): { at: number | null; startsAbove: boolean | null } {
    let previous: CurvePoint | null = null;
    let startsAbove: boolean | null = null;
    for (let i = 0; i < this.axis.length; i++) {
      const at = this.axis[i];
      if (scale === 'log' && at < 0) continue;
      const row = this.values[i];
      let sum = 0;
      let n = 0;
      for (let s = 0; s < row.length; s++) {
        const w = weights ? weights[s] : 1;
        if (w === 0 || Number.isNaN(row[s])) continue;
        sum += w * row[s];
        n += w;
      }
      if (n === 0 && rng) {
        const own = row.filter((v) => !Number.isNaN(v));
        for (let k = 0; k < own.length; k++) sum += own[Math.floor(rng.uniform() * own.length)];
        n = own.length;
      }
      if (n === 0) continue;
      const point = { at, value: sum / n };
      const above = isAbove(point.value, threshold);
      if (startsAbove === null) startsAbove = above;
      if (previous !== null && isAbove(previous.value, threshold) !== above) {
        return { at: interpolateCrossing(previous, point, threshold, scale), startsAbove };
      }
      previous = point;
    }
    return { at: null, startsAbove };
  }

  // Seed multiplicities of one bootstrap resample: as many draws with replacement as there are seeds.
  resample(rng: Rng): number[] {
    const weights = this.seeds.map(() => 0);
    for (let k = 0; k < this.seeds.length; k++) weights[Math.floor(rng.uniform() * this.seeds.length)]++;
    return weights;
  }
}

export interface BootstrapOptions {
  threshold: number;
  scale: CrossingScale;
  // At least 1,000 (README): the 2.5% tails then rest on 25 resamples or more.
  resamples?: number;
  // The generator's seed: the same cells and options always give the same interval.
  seed?: number;
  level?: number;
}

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_BOOTSTRAP_SEED = 20231;
export const MIN_RESAMPLES = 1000;

export function bootstrapRng(seed = DEFAULT_BOOTSTRAP_SEED): Rng {
  return new Rng(seed, 'crossing-bootstrap');
}

export function resampleCount(options: { resamples?: number }): number {
  const n = options.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(n) || n < MIN_RESAMPLES) {
    throw new RangeError(
      `the bootstrap needs a whole number of at least ${MIN_RESAMPLES} resamples, got ${n}`,
    );
  }
  return n;
}

// The p-quantile (linear between order statistics) of sorted values, taken in log space on a log axis.
export function quantile(sorted: number[], p: number, scale: CrossingScale = 'linear'): number {
  const xs = scale === 'log' ? sorted.map(Math.log) : sorted;
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const q = xs[lo] + (h - lo) * (xs[hi] - xs[lo]);
  return scale === 'log' ? Math.exp(q) : q;
}

export interface CrossingInterval {
  // The first crossing of the seed-mean curve; null without one.
  crossing: number | null;
  // How many times the seed-mean curve crosses: more than one is a non-monotone group.
  crossings: number;
  // Percentile interval of the crossing over the resamples; null without a crossing or below two seeds.
  ci95: [number, number] | null;
  // Distinct seeds with a value: the units resampled.
  seeds: number;
  resamples: number;
  // Resamples whose seed-mean curve never crosses. They count at the grid edge they point past, so an
  // interval ending on the edge reaches beyond the grid.
  noCrossing: number;
  // Of those, the ones that point past the lowest axis value and past the highest: where values would
  // have to be added for them to cross.
  pastEnds: { low: number; high: number };
}

// The crossing of a group's seed-mean curve and its bootstrap interval over seeds: resample the seeds
// with replacement, recompute the seed-mean curve and its first crossing by the same interpolation.
export function crossingInterval(cells: SeedValue[], options: BootstrapOptions): CrossingInterval {
  const { threshold, scale, level = 0.95 } = options;
  const resamples = resampleCount(options);
  const table = new SeedTable(cells);
  const curve = table.curve();
  const all = curveCrossings(curve, threshold, scale);
  const crossing = all.length > 0 ? all[0].at : null;
  const seeds = table.seeds.length;
  // One seed or none: every resample is the curve itself, so it crosses exactly when the curve does.
  if (seeds < 2) {
    return {
      crossing,
      crossings: all.length,
      ci95: null,
      seeds,
      resamples,
      noCrossing: crossing === null ? resamples : 0,
      pastEnds: { low: 0, high: 0 },
    };
  }
  const rng = bootstrapRng(options.seed);
  const draws: number[] = [];
  let noCrossing = 0;
  const pastEnds = { low: 0, high: 0 };
  const startsAbove = curve.length > 0 && isAbove(curve[0].value, threshold);
  for (let b = 0; b < resamples; b++) {
    const drawn = table.crossingOf(table.resample(rng), threshold, scale, rng);
    if (drawn.at !== null) {
      draws.push(drawn.at);
      continue;
    }
    noCrossing++;
    // Still on the side the curve starts on: its crossing lies past the high end, else before the low.
    if (drawn.startsAbove === null) continue;
    const past = drawn.startsAbove === startsAbove ? 'high' : 'low';
    pastEnds[past]++;
    draws.push(past === 'high' ? table.axis[table.axis.length - 1] : table.axis[0]);
  }
  if (crossing === null || seeds < 2 || draws.length === 0) {
    return { crossing, crossings: all.length, ci95: null, seeds, resamples, noCrossing, pastEnds };
  }
  draws.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  const ci95: [number, number] = [quantile(draws, tail, scale), quantile(draws, 1 - tail, scale)];
  return { crossing, crossings: all.length, ci95, seeds, resamples, noCrossing, pastEnds };
}
