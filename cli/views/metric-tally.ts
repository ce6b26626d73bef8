import type { MetricTallyMismatch } from '../../store/metric-tally-check.ts';

type Stats = MetricTallyMismatch['tally'][string] | undefined;

const summary = (s: Stats): string =>
  s === undefined ? 'none' : `n ${s.n}, mean ${s.mean === null ? '-' : s.mean.toPrecision(6)}`;

// `verify`'s line for tallies by name that a recount contradicts: how many grid points, and the first
// metric that differs, as the recount gives it and as the tally has it.
export function describeMetricMismatch(mismatches: readonly MetricTallyMismatch[]): string {
  const [first] = mismatches;
  const names = [...new Set([...Object.keys(first.recount), ...Object.keys(first.tally)])].sort();
  const name =
    names.find((n) => JSON.stringify(first.recount[n]) !== JSON.stringify(first.tally[n])) ?? names[0];
  const where =
    first.params === null
      ? `point ${first.point_key}`
      : Object.entries(first.params)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(' ');
  const points = mismatches.length === 1 ? '1 grid point' : `${mismatches.length} grid points`;
  return (
    `other metrics by name at ${points} (${where}: ${name} ${summary(first.recount[name])}, ` +
    `tallied ${summary(first.tally[name])})`
  );
}
