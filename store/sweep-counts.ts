import type pg from 'pg';
import { SWEEP_COUNTS_SQL } from './queries.ts';

// What every command and dashboard shows of a sweep's progress, from sweep_counts (migration 009):
// done includes cached; done + failed + pending = total.
export interface SweepCounts {
  total: number;
  done: number;
  cached: number;
  failed: number;
  pending: number;
}

const COUNT_KEYS = [
  'total',
  'done',
  'cached',
  'failed',
  'pending',
] as const satisfies readonly (keyof SweepCounts)[];

// The `counts: {...}` object of every --json output, from anything that carries the counts.
export function countsOf(c: SweepCounts): SweepCounts {
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, c[k]])) as unknown as SweepCounts;
}

export async function sweepCounts(pool: pg.Pool, sweepId: string): Promise<SweepCounts> {
  const { rows } = await pool.query<SweepCounts>(SWEEP_COUNTS_SQL, [sweepId]);
  return rows[0];
}

// "36/36 done (36 cached, 0 failed)": the one wording of counts in text output.
export function formatCounts(c: SweepCounts): string {
  const pending = c.pending > 0 ? `, ${c.pending} pending` : '';
  return `${c.done}/${c.total} done (${c.cached} cached, ${c.failed} failed${pending})`;
}
