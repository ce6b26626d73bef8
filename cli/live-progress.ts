import type pg from 'pg';
import { countsOf } from '../store/sweep-counts.ts';
import { getSweep } from '../store/sweeps.ts';
import { queryProgress } from '../client/await-sweep.ts';
import type { SweepHandle } from '../client/start-sweep.ts';
import type { SweepProgress } from '../workflows/types.ts';

// With no worker nobody answers the progress query: the counts still show, from the store. The query
// ends by its deadline rather than being abandoned, because the SDK's retry of a call still in flight
// when the connection closes throws from a timer, past every handler.
const QUERY_WAIT_MS = 2_000;

function progressWithin(handle: SweepHandle, ms: number): Promise<SweepProgress | undefined> {
  return handle.client.withDeadline(Date.now() + ms, () => queryProgress(handle)).catch(() => undefined);
}

// One line of `watch --json`, and what the progress bar draws: the JSON output names the sweep.
export type LiveProgress = SweepProgress & { sweep_id: string };

// What `watch` and `run --watch` show: the counts of `ls` and `show` (the store's sweep_counts), with
// the workflow's status, cells in flight and training rate when it answers.
export async function liveProgress(
  pool: pg.Pool,
  sweepId: string,
  handle: SweepHandle,
): Promise<LiveProgress> {
  const [sweep, workflow] = await Promise.all([
    getSweep(pool, sweepId),
    progressWithin(handle, QUERY_WAIT_MS),
  ]);
  const counts = sweep?.counts ?? { total: 0, done: 0, cached: 0, failed: 0, pending: 0 };
  const rate = workflow?.rate ?? null;
  // Before the workflow answers: queued while no worker has registered the sweep; a sweep with no
  // cells in the store yet is still registering them.
  const status =
    workflow?.status ??
    (sweep?.status === 'queued' ? 'queued' : counts.total === 0 ? 'registering' : 'running');
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

// One line of `watch --json`: the counts in a `counts` object, as in every other --json output.
export function progressJson(p: LiveProgress) {
  const { total: _t, done: _d, cached: _c, failed: _f, pending: _p, ...rest } = p;
  return { ...rest, counts: countsOf(p) };
}
