// The boundary of a sweep without refine: (sweepBoundarySpec) from per-grid-point seed means, with
// the seed bootstrap run only where it can move the crossing: the axis values of each bracket and one
// on either side (README "Refining the boundary"). At the end of a sweep this reads one row per grid
// point and the cells of a few points per group, not every cell: at 1,000,000 cells the cost follows
// the grid points, not seeds x cells. Pure: the store reads, this plans and estimates.
import { crossingInterval } from './crossing-interval.ts';
import { refineSettings } from './refine-axis.ts';
import {
  groupKeyOf,
  planRound,
  type GroupBoundary,
  type RefinedSpec,
  type RoundObservation,
} from './refine-round.ts';
import type { CellParams } from '../trainer/index.ts';

// One grid point: its parameters (seed 0 standing for all), its cells and the seed mean of the metric
// (null: no value).
export interface PointMean {
  pointKey: string;
  params: CellParams;
  cells: number;
  // Cells with a value of the metric: the seeds the mean is over.
  values: number;
  mean: number | null;
}

// Seed means as the planner's observations: one "seed" per point, so that the planner's crossing,
// bracket, kind and range are those of the seed-mean curve. Its intervals are not used (one seed).
function meanObservations(points: PointMean[]): RoundObservation[] {
  return points.map((p) => ({ params: p.params, round: 0, metric: p.mean }));
}

// The planner's boundaries from seed means, and the points whose cells the bootstrap needs: per group,
// every bracket's ends and the axis value on either side of them.
export function planFromMeans(
  spec: RefinedSpec,
  points: PointMean[],
): { boundaries: GroupBoundary[]; windowKeys: string[] } {
  const { axis } = refineSettings(spec);
  // One "seed" per point: no bootstrap runs (crossing-interval.ts), the planner's intervals are null.
  const { boundaries } = planRound(spec, meanObservations(points), false);
  const byGroup = new Map<string, PointMean[]>();
  for (const p of points) {
    const key = groupKeyOf(spec, p.params, axis);
    byGroup.set(key, [...(byGroup.get(key) ?? []), p]);
  }
  const windowKeys: string[] = [];
  for (const b of boundaries) {
    const row = (byGroup.get(b.groupKey) ?? [])
      .filter((p) => p.mean !== null)
      .sort((x, y) => (x.params[axis] as number) - (y.params[axis] as number));
    const at = row.map((p) => p.params[axis] as number);
    const wanted = new Set<number>();
    for (const bracket of b.brackets) {
      const [low, high] = [at.indexOf(bracket.low), at.indexOf(bracket.high)];
      for (let i = Math.max(0, low - 1); i <= Math.min(at.length - 1, high + 1); i++) wanted.add(i);
    }
    for (const i of [...wanted].sort((x, y) => x - y)) windowKeys.push(row[i].pointKey);
  }
  return { boundaries, windowKeys };
}

// The boundaries with each group's interval bootstrapped over the seeds of its window cells, and its
// cells counted from the points.
export function withWindowIntervals(
  spec: RefinedSpec,
  points: PointMean[],
  boundaries: GroupBoundary[],
  windowCells: RoundObservation[],
): GroupBoundary[] {
  const { axis, threshold, scale } = refineSettings(spec);
  const cellsOf = new Map<string, number>();
  const seedsOf = new Map<string, number>();
  for (const p of points) {
    const key = groupKeyOf(spec, p.params, axis);
    cellsOf.set(key, (cellsOf.get(key) ?? 0) + p.cells);
    seedsOf.set(key, Math.max(seedsOf.get(key) ?? 0, p.values));
  }
  const seedCells = new Map<string, { at: number; seed: number; value: number | null }[]>();
  for (const o of windowCells) {
    const key = groupKeyOf(spec, o.params, axis);
    const list = seedCells.get(key) ?? [];
    list.push({ at: o.params[axis] as number, seed: o.params.seed, value: o.metric });
    seedCells.set(key, list);
  }
  return boundaries.map((b) => {
    const window = seedCells.get(b.groupKey);
    const interval = crossingInterval(window ?? [], { threshold, scale });
    // A group without a crossing has no window: its seeds are those of its fullest point.
    if (!window) interval.seeds = seedsOf.get(b.groupKey) ?? 0;
    return {
      ...b,
      // The bootstrap's own crossing: the seed mean of the same cells, so it agrees with its interval.
      crossing: interval.crossing ?? b.crossing,
      ci95: interval.ci95,
      seeds: interval.seeds,
      interval: { ...interval, crossings: b.interval.crossings },
      cells: cellsOf.get(b.groupKey) ?? b.cells,
    };
  });
}
