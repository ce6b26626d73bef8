// What refine: stores per round besides the planner's brackets (README "Refining the boundary"): every
// group's crossing with its seed-bootstrap interval, and the log-log slope of the crossing against the
// group's sample size with its bootstrap interval, non-monotone groups left out of the fit. Pure and
// seeded: the same stored results always give the same numbers.
import { METHOD, methodsWith } from '../trainer/index.ts';
import { slopeInterval, type SlopeInterval } from './boundary-slope.ts';
import { SeedTable, type CrossingInterval } from './crossing-interval.ts';
import { compareGroups, type GroupCoordinates } from './group-order.ts';
import { refineSettings } from './refine-axis.ts';
import { groupKeyOf, type RefinedSpec, type RoundObservation } from './refine-round.ts';
import { refineSchema } from './refine-schema.ts';
import type { SweepSpec } from './spec-schema.ts';
import type { SizeAxis } from './theory-lines.ts';
import { axisValues } from './values.ts';

// Who stored a boundary: a refine: section's rounds, or the end of a sweep without one.
export const BOUNDARY_SOURCES = ['refine', 'sweep'] as const;
export type BoundarySource = (typeof BOUNDARY_SOURCES)[number];

// A sweep without refine: whose grid scans SNR still has a boundary: where the seed-mean test error
// crosses the default threshold along SNR, found by the same engine as if refine: had named it (with
// no rounds). Null for a refined sweep, or a grid without two SNRs.
export function sweepBoundarySpec(spec: SweepSpec): RefinedSpec | null {
  if (spec.refine || spec.grid.snr === undefined) return null;
  // A sweep of methods without a test error (noop) has no boundary to estimate.
  if (!spec.method.some((method) => methodsWith('test_error').includes(method))) return null;
  if (new Set(axisValues(spec.grid.snr)).size < 2) return null;
  // resolution only bounds rounds, and this spec plans none.
  return { ...spec, refine: refineSchema.parse({ axis: 'snr', resolution: 0.01 }) };
}

export interface GroupInterval extends CrossingInterval {
  groupKey: string;
}

export const LEFT_OUT_REASONS = ['non_monotone', 'no_crossing'] as const;
export type LeftOutReason = (typeof LEFT_OUT_REASONS)[number];

export interface BoundarySlopeFit extends SlopeInterval {
  // The groups fitted: these coordinates in common, xAxis varying.
  where: GroupCoordinates;
  xAxis: SizeAxis;
  // Groups of this part not in the fit, by their sample size, and why.
  leftOut: { x: number; reason: LeftOutReason }[];
}

export interface BoundaryEstimate {
  intervals: GroupInterval[];
  slopes: BoundarySlopeFit[];
}

// The sample size a group's crossing is fitted against: n_0 for SimCLR, else the labelled n.
export function sizeAxisOf(group: GroupCoordinates): SizeAxis | undefined {
  if (group.method === METHOD.simclr && typeof group.n_unlabeled === 'number') return 'n_unlabeled';
  return typeof group.n_labels === 'number' ? 'n_labels' : undefined;
}

// `groups` are the planner's (planRound), each with the interval it bootstrapped: the crossings are
// taken as they are, and only the slope resamples again (across groups, which no group's interval
// can stand for). `options` set the slope's resamples and generator seed.
export function estimateBoundaries(
  spec: RefinedSpec,
  observations: RoundObservation[],
  groups: { groupKey: string; group: GroupCoordinates; interval: CrossingInterval }[],
  options: { resamples?: number; seed?: number } = {},
): BoundaryEstimate {
  const { axis, threshold, scale } = refineSettings(spec);
  const cells = new Map<string, { at: number; seed: number; value: number | null }[]>();
  for (const o of observations) {
    const key = groupKeyOf(spec, o.params, axis);
    const list = cells.get(key) ?? [];
    list.push({ at: o.params[axis] as number, seed: o.params.seed, value: o.metric });
    cells.set(key, list);
  }
  const bootstrap = { threshold, scale, ...options };
  const tables = new Map(groups.map((g) => [g.groupKey, new SeedTable(cells.get(g.groupKey) ?? [])]));
  const intervals = groups.map((g) => ({ groupKey: g.groupKey, ...g.interval }));
  const crossingsOf = new Map(intervals.map((i) => [i.groupKey, i.crossings]));

  const parts = new Map<string, { where: GroupCoordinates; xAxis: SizeAxis; members: typeof groups }>();
  for (const g of [...groups].sort((a, b) => compareGroups(a.group, b.group))) {
    const xAxis = sizeAxisOf(g.group);
    if (xAxis === undefined || xAxis === axis) continue;
    const where = Object.fromEntries(Object.entries(g.group).filter(([k]) => k !== xAxis));
    const key = JSON.stringify([xAxis, where]);
    const part = parts.get(key) ?? { where, xAxis, members: [] };
    part.members.push(g);
    parts.set(key, part);
  }
  const slopes: BoundarySlopeFit[] = [];
  for (const { where, xAxis, members } of parts.values()) {
    const leftOut: BoundarySlopeFit['leftOut'] = [];
    const fitted = members.flatMap((g) => {
      const x = g.group[xAxis] as number;
      const n = crossingsOf.get(g.groupKey)!;
      if (n === 1) return [{ x, table: tables.get(g.groupKey)! }];
      leftOut.push({ x, reason: n > 1 ? 'non_monotone' : 'no_crossing' });
      return [];
    });
    const fit = slopeInterval(fitted, bootstrap);
    if (fit) slopes.push({ ...fit, where, xAxis, leftOut });
  }
  return { intervals, slopes };
}
