import type pg from 'pg';

// Per grid point and metric name: count, mean and sum of squared deviations, as migration 020 keeps them.
type NamedStats = Record<string, { n: number; mean: number | null; m2: number }>;

/** A grid point whose tally of metrics by name disagrees with a recount from its cells. */
export interface MetricTallyMismatch {
  point_key: string;
  /** the point's parameters, when it has a tally row */
  params: Record<string, unknown> | null;
  tally: NamedStats;
  recount: NamedStats;
}

// The tally merges summaries pairwise as results arrive, the recount averages every value in one pass:
// they differ in their last bits only, so a mean is compared relative to its size and a deviation
// relative to the mean (as the tally tests compare them). A count must be exact.
const REL = 1e-9;
const close = (a: number | null, b: number | null, scale: number): boolean =>
  a === null || b === null
    ? a === b
    : Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b), Math.abs(scale));
const sdOf = (s: NamedStats[string]): number | null =>
  s.n < 2 ? null : Math.sqrt(Math.max(s.m2, 0) / (s.n - 1));

function agree(tally: NamedStats, recount: NamedStats): boolean {
  const names = Object.keys(recount).sort();
  if (Object.keys(tally).sort().join('\0') !== names.join('\0')) return false;
  return names.every((name) => {
    const t = tally[name];
    const r = recount[name];
    return t.n === r.n && close(t.mean, r.mean, 0) && close(sdOf(t), sdOf(r), r.mean ?? 0);
  });
}

// The grid points of sweep $1 where grid_point_tallies.metric_stats is not what metric_stats_recount
// (020) gives from the cells themselves: a point with names tallied but no value recounted included.
const TALLY_AND_RECOUNT_SQL = `
SELECT coalesce(t.point_key, r.point_key) AS point_key, t.params, coalesce(t.metric_stats, '{}') AS tally,
  coalesce(r.metric_stats, '{}') AS recount
FROM (SELECT point_key, params, metric_stats FROM grid_point_tallies WHERE sweep_id = $1) t
FULL JOIN metric_stats_recount($1) r ON r.point_key = t.point_key
ORDER BY 1`;

export async function metricTallyMismatches(pool: pg.Pool, sweepId: string): Promise<MetricTallyMismatch[]> {
  const { rows } = await pool.query<MetricTallyMismatch>(TALLY_AND_RECOUNT_SQL, [sweepId]);
  return rows.filter((row) => !agree(row.tally, row.recount));
}
