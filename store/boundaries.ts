import type pg from 'pg';
import type { GroupBoundary } from '../sweep/refine-round.ts';
import type { Bracket, BoundaryKind } from '../sweep/refine-plan.ts';
import { SWEEP_BOUNDARIES_SQL } from './queries.ts';

// One row of the boundaries table (store/migrations/008_refine_boundaries.sql).
export interface BoundaryRecord {
  sweep_id: string;
  group_key: string;
  group_values: Record<string, string | number>;
  axis: string;
  metric: string;
  threshold: number;
  kind: BoundaryKind;
  crossing: number | null;
  bracket_low: number | null;
  bracket_high: number | null;
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

// Replaces the sweep's boundaries with those of the latest round, in one statement per call.
export async function writeBoundaries(
  pool: pg.Pool,
  sweepId: string,
  refine: { axis: string; metric: string; threshold: number },
  groups: GroupBoundary[],
): Promise<void> {
  await pool.query(
    `INSERT INTO boundaries (sweep_id, group_key, group_values, axis, metric, threshold, kind, crossing,
       bracket_low, bracket_high, crossings, open_brackets, brackets, range_low, range_high, rounds, cells)
     SELECT $1, g->>'groupKey', g->'group', $2, $3, $4, g->>'kind', (g->>'crossing')::double precision,
       (g->'bracket'->>0)::double precision, (g->'bracket'->>1)::double precision,
       jsonb_array_length(g->'brackets'), (g->>'openBrackets')::integer, g->'brackets',
       (g->'range'->>0)::double precision, (g->'range'->>1)::double precision,
       (g->>'rounds')::integer, (g->>'cells')::integer
     FROM jsonb_array_elements($5::jsonb) AS g
     ON CONFLICT (sweep_id, group_key) DO UPDATE SET
       group_values = excluded.group_values, axis = excluded.axis, metric = excluded.metric,
       threshold = excluded.threshold, kind = excluded.kind, crossing = excluded.crossing,
       bracket_low = excluded.bracket_low, bracket_high = excluded.bracket_high,
       crossings = excluded.crossings, open_brackets = excluded.open_brackets, brackets = excluded.brackets,
       range_low = excluded.range_low, range_high = excluded.range_high, rounds = excluded.rounds,
       cells = excluded.cells, updated_at = now()`,
    [sweepId, refine.axis, refine.metric, refine.threshold, JSON.stringify(groups)],
  );
}

export async function sweepBoundaries(pool: pg.Pool, sweepId: string): Promise<BoundaryRecord[]> {
  const { rows } = await pool.query<BoundaryRecord>(SWEEP_BOUNDARIES_SQL, [sweepId]);
  return rows;
}
