// The seed planner of `refine.seeds` (README "Seeds where they matter"): once a group's bracket is
// settled, its crossing's interval is narrowed by seeds added to the cells beside the crossing only.
// Pure, like the bracket planner: the same stored cells always give the same additions.
import { bracketWidth, type AxisScale } from './refine-plan.ts';

export interface SeedSettings {
  // Seeds a cell may reach.
  max: number;
  // The interval width to reach: log10 units on a log axis, axis units otherwise.
  ciWidth: number;
  scale: AxisScale;
}

// A cell of the group: where it is on the axis, and its seed.
export interface SeedCell {
  value: number;
  seed: number;
}

// New seeds for the cell of a group at `value`.
export interface SeedAddition {
  value: number;
  seeds: number[];
}

// Which axis values beside the crossing take seeds: the bracket's ends, and every value inside the
// interval (a resample that flips such a cell's side moves the crossing there, so a cell with few seeds
// inside the interval keeps it wide whatever the ends have). Values outside keep their seeds.
export function seededValues(
  values: number[],
  bracket: { low: number; high: number },
  ci95: [number, number] | null,
): number[] {
  const [ciLow, ciHigh] = ci95 ?? [bracket.low, bracket.high];
  return [...new Set(values)]
    .filter((v) => v === bracket.low || v === bracket.high || (v >= ciLow && v <= ciHigh))
    .sort((a, b) => a - b);
}

// Seeds both cells beside a crossing need before its interval may count as narrow. A bootstrap over 2
// seeds has 3 distinct resamples (both draws of one seed, or one of each), so its percentile interval
// can be as narrow as the two seeds happen to agree; over 4 seeds there are 35, and in simulation
// (README "Refining the boundary") the interval held the true crossing in 80% of runs at 4 seeds. Below
// this, a narrow interval is not yet evidence that the crossing is known: the seeds are added anyway.
export const NARROW_MIN_SEEDS = 4;

// Whether a crossing's interval is narrow enough to stop adding seeds: narrower than ciWidth, with at
// least NARROW_MIN_SEEDS (or `max`, if lower) seeds on both cells beside the crossing.
export function isNarrow(width: number | null, fewestBeside: number, settings: SeedSettings): boolean {
  if (width === null || !(width < settings.ciWidth)) return false;
  return fewestBeside >= Math.min(NARROW_MIN_SEEDS, settings.max);
}

// Seeds a cell should have after this round. A bootstrap interval narrows as 1/sqrt(seeds): aim at
// the count that would reach ciWidth, but at most double per round (the estimate is rough from few
// seeds, and a later round sees the result) and never past `max`.
export function targetSeeds(have: number, width: number | null, settings: SeedSettings): number {
  const wanted =
    width === null || !Number.isFinite(width) ? 2 * have : Math.ceil(have * (width / settings.ciWidth) ** 2);
  return Math.min(settings.max, have + Math.min(have, Math.max(1, wanted - have)));
}

// The seed values a group continues with: those it has, in order, then one past its largest.
export function seedSequence(groupSeeds: number[], count: number): number[] {
  const sorted = [...new Set(groupSeeds)].sort((a, b) => a - b);
  const next = sorted.length === 0 ? 0 : sorted[sorted.length - 1] + 1;
  const out = sorted.slice(0, count);
  for (let s = next; out.length < count; s++) out.push(s);
  return out;
}

// The additions for one group whose crossing is settled in `bracket`: none once its interval is
// narrow (isNarrow), or once the cells beside the crossing have `max` seeds.
export function planSeeds(
  cells: SeedCell[],
  bracket: { low: number; high: number },
  ci95: [number, number] | null,
  settings: SeedSettings,
): SeedAddition[] {
  const width = ci95 === null ? null : bracketWidth(ci95[0], ci95[1], settings.scale);
  const seedsAt = new Map<number, Set<number>>();
  for (const o of cells) {
    const seeds = seedsAt.get(o.value) ?? new Set<number>();
    seeds.add(o.seed);
    seedsAt.set(o.value, seeds);
  }
  const beside = [bracket.low, bracket.high].map((v) => seedsAt.get(v)?.size ?? 0);
  if (isNarrow(width, Math.min(...beside), settings)) return [];
  const values = seededValues([...seedsAt.keys()], bracket, ci95);
  const have = Math.max(...values.map((v) => seedsAt.get(v)!.size));
  // An interval narrow from too few seeds needs the minimum only; a wide one at least that.
  const floor = Math.min(NARROW_MIN_SEEDS, settings.max);
  const narrowAlready = width !== null && width < settings.ciWidth;
  const target = seedSequence(
    cells.map((o) => o.seed),
    narrowAlready ? floor : Math.max(floor, targetSeeds(have, width, settings)),
  );
  return values
    .map((value) => ({ value, seeds: target.filter((s) => !seedsAt.get(value)!.has(s)) }))
    .filter((a) => a.seeds.length > 0);
}
