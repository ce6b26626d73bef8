import type pg from 'pg';
import { sweepCounts } from '../store/sweep-counts.ts';
import { queryProgress } from '../client/await-sweep.ts';
import type { SweepHandle } from '../client/start-sweep.ts';
import type { SweepProgress } from '../workflows/types.ts';

// With no worker nobody answers the progress query: the counts still show, from the store.
const QUERY_WAIT_MS = 2_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

// What `watch` and `run --watch` show: the counts of `ls` and `show` (the store's sweep_counts), with
// the workflow's status, cells in flight and training rate when it answers.
export async function liveProgress(
  pool: pg.Pool,
  sweepId: string,
  handle: SweepHandle,
): Promise<SweepProgress> {
  const [counts, workflow] = await Promise.all([
    sweepCounts(pool, sweepId),
    within(queryProgress(handle), QUERY_WAIT_MS),
  ]);
  const rate = workflow?.rate ?? null;
  const status = workflow?.status ?? 'running';
  const active = status === 'running' || status === 'registering';
  return {
    sweep_id: sweepId,
    status,
    ...counts,
    running: workflow?.running ?? 0,
    rate,
    eta_s: rate && active ? counts.pending / rate : active ? null : 0,
    runs: workflow?.runs ?? 0,
    refine: workflow?.refine ?? null,
  };
}
