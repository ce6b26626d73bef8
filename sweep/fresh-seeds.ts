import type { SweepSpec } from './spec.ts';

/**
 * The spec a scheduled run with `--fresh-seeds count` trains: the same grid, with the seed axis
 * replaced by `count` seeds from `start` on (a seed set in `fixed` moves to the grid). With `start`
 * null (the schedule's first run) the spec is trained as written. Pure, for the workflow sandbox.
 */
export function withFreshSeeds(spec: SweepSpec, start: number | null, count: number): SweepSpec {
  if (start === null) return spec;
  const { seed: _fixedSeed, ...fixed } = spec.fixed;
  return { ...spec, fixed, grid: { ...spec.grid, seed: { range: [start, start + count] } } };
}
