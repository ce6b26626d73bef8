import type pg from 'pg';
import type { BoundaryEstimate, BoundarySource, LeftOutReason } from '../sweep/boundary-estimate.ts';
import { compareGroups } from '../sweep/group-order.ts';
import type { GroupBoundary } from '../sweep/refine-round.ts';
import type { Bracket, BoundaryKind } from '../sweep/refine-plan.ts';
import { SWEEP_BOUNDARIES_SQL, SWEEP_BOUNDARY_SLOPES_SQL } from './queries.ts';
import { inTransaction } from './transaction.ts';

// One row of the boundaries table (store/migrations/008_refine_boundaries.sql, 016).
export interface BoundaryRecord {
  sweep_id: string;
  group_key: string;
  source: BoundarySource;
  group_values: Record<string, string | number>;
  axis: string;
  metric: string;
  threshold: number;
  kind: BoundaryKind;
  crossing: number | null;
  bracket_low: number | null;
  bracket_high: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
  seeds: number;
  resamples: number;
  no_crossing: number;
  crossings: number;
  open_brackets: number;
  brackets: Bracket[];
  range_low: number | null;
  range_high: number | null;
  rounds: number;
  cells: number;
  // A row refine.trace added (018).
  traced: boolean;
  updated_at: Date;
}

// One row of boundary_slopes (016).
export interface BoundarySlopeRecord {
  sweep_id: string;
  part_key: string;
  source: BoundarySource;
  where_values: Record<string, string | number>;
  axis: string;
  x_axis: string;
  slope: number;
  ci95_low: number | null;
  ci95_high: number | null;
  ols95_low: number | null;
  ols95_high: number | null;
  groups: number;
  resamples: number;
  failed_resamples: number;
  left_out: { x: number; reason: LeftOutReason }[];
  updated_at: Date;
}

// Replaces the sweep's boundaries and slopes with those of the latest round, in one transaction: the
// planner's brackets per group, the estimate's crossing and interval per group (matched by group key)
// and the slopes.
export async function writeBoundaries(
  pool: pg.Pool,
  sweepId: string,
  refine: { axis: string; metric: string; threshold: number },
  groups: GroupBoundary[],
  estimate: BoundaryEstimate,
  source: BoundarySource = 'refine',
): Promise<void> {
  const intervals = new Map(estimate.intervals.map((i) => [i.groupKey, i]));
  // The planner's interval object stays out of the rows: its figures are the estimate's, below.
  const rows = groups.map(({ interval: _interval, ...g }) => {
    const i = intervals.get(g.groupKey);
    return {
      ...g,
      // The crossing of the engine that gives its interval, unrounded, so the two always agree.
      crossing: i ? i.crossing : g.crossing,
      ci95: i?.ci95 ?? null,
      seeds: i?.seeds ?? 0,
      resamples: i?.resamples ?? 0,
      noCrossing: i?.noCrossing ?? 0,
    };
  });
  const slopes = estimate.slopes.map((s) => ({ ...s, partKey: JSON.stringify([s.xAxis, s.where]) }));
  await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO boundaries (sweep_id, group_key, source, group_values, axis, metric, threshold, kind,
         crossing, bracket_low, bracket_high, ci95_low, ci95_high, seeds, resamples, no_crossing, crossings,
         open_brackets, brackets, range_low, range_high, rounds, cells, traced)
       SELECT $1, g->>'groupKey', $6, g->'group', $2, $3, $4, g->>'kind', (g->>'crossing')::double precision,
         (g->'bracket'->>0)::double precision, (g->'bracket'->>1)::double precision,
         (g->'ci95'->>0)::double precision, (g->'ci95'->>1)::double precision,
         (g->>'seeds')::integer, (g->>'resamples')::integer, (g->>'noCrossing')::integer,
         jsonb_array_length(g->'brackets'), (g->>'openBrackets')::integer, g->'brackets',
         (g->'range'->>0)::double precision, (g->'range'->>1)::double precision,
         (g->>'rounds')::integer, (g->>'cells')::integer, coalesce((g->>'traced')::boolean, false)
       FROM jsonb_array_elements($5::jsonb) AS g
       ON CONFLICT (sweep_id, group_key) DO UPDATE SET
         source = excluded.source, group_values = excluded.group_values, axis = excluded.axis, metric = excluded.metric,
         threshold = excluded.threshold, kind = excluded.kind, crossing = excluded.crossing,
         bracket_low = excluded.bracket_low, bracket_high = excluded.bracket_high,
         ci95_low = excluded.ci95_low, ci95_high = excluded.ci95_high, seeds = excluded.seeds,
         resamples = excluded.resamples, no_crossing = excluded.no_crossing,
         crossings = excluded.crossings, open_brackets = excluded.open_brackets, brackets = excluded.brackets,
         range_low = excluded.range_low, range_high = excluded.range_high, rounds = excluded.rounds,
         cells = excluded.cells, traced = excluded.traced, updated_at = now()`,
      [sweepId, refine.axis, refine.metric, refine.threshold, JSON.stringify(rows), source],
    );
    await client.query('DELETE FROM boundary_slopes WHERE sweep_id = $1', [sweepId]);
    await client.query(
      `INSERT INTO boundary_slopes (sweep_id, part_key, source, where_values, axis, x_axis, slope, ci95_low,
         ci95_high, ols95_low, ols95_high, groups, resamples, failed_resamples, left_out)
       SELECT $1, s->>'partKey', $4, s->'where', $2, s->>'xAxis', (s->>'slope')::double precision,
         (s->'ci95'->>0)::double precision, (s->'ci95'->>1)::double precision,
         (s->'ols95'->>0)::double precision, (s->'ols95'->>1)::double precision,
         (s->>'groups')::integer, (s->>'resamples')::integer, (s->>'failed')::integer, s->'leftOut'
       FROM jsonb_array_elements($3::jsonb) AS s`,
      [sweepId, refine.axis, JSON.stringify(slopes), source],
    );
  });
}

// refine:'s boundaries, in the order of their coordinates, numbers as numbers (sweep/group-order.ts).
export async function sweepBoundaries(pool: pg.Pool, sweepId: string): Promise<BoundaryRecord[]> {
  const { rows } = await pool.query<BoundaryRecord>(SWEEP_BOUNDARIES_SQL, [sweepId]);
  return rows.sort((a, b) => compareGroups(a.group_values, b.group_values));
}

export async function sweepBoundarySlopes(pool: pg.Pool, sweepId: string): Promise<BoundarySlopeRecord[]> {
  const { rows } = await pool.query<BoundarySlopeRecord>(SWEEP_BOUNDARY_SLOPES_SQL, [sweepId]);
  return rows.sort((a, b) => compareGroups(a.where_values, b.where_values));
}
