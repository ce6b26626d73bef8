import type pg from 'pg';
import { COMMAND_METHOD } from '../trainer/index.ts';
import { FINISHED_STATUSES, type SweepStatus } from '../sweep/statuses.ts';
import type { SweepCounts } from './sweep-counts.ts';
import { LIST_SWEEPS_SQL, SWEEP_BY_ID_OR_NAME_SQL } from './queries.ts';

export interface SweepRow {
  id: string;
  name: string;
  spec: unknown;
  spec_hash: string;
  trainer_version: string;
  status: SweepStatus;
  schedule_id: string | null;
  workflow_id: string | null;
  tags: Record<string, string>;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  /** the cells its spec's grid expands to, stored by `run` with a queued sweep (migration 023) */
  grid_cells: number | null;
  counts: SweepCounts;
}

export interface NewSweep {
  id: string;
  name: string;
  spec: unknown;
  specHash: string;
  trainerVersion: string;
  scheduleId?: string | null;
  workflowId?: string | null;
  tags?: Record<string, string>;
  // 'queued' when `run` stores a sweep no worker has registered yet; a worker's row starts 'pending'.
  status?: Extract<SweepStatus, 'queued' | 'pending'>;
  // With a queued sweep: the cells its grid expands to (countCells), which views show until a worker
  // registers them.
  gridCells?: number;
}

// Idempotent on id: a retried activity or CLI call creates the sweep once and changes nothing after.
export async function createSweep(pool: pg.Pool, s: NewSweep): Promise<void> {
  await pool.query(
    `INSERT INTO sweeps (id, name, spec, spec_hash, trainer_version, schedule_id, workflow_id, tags, status,
       grid_cells)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8::jsonb, $9, $10)
     ON CONFLICT (id) DO NOTHING`,
    [
      s.id,
      s.name,
      JSON.stringify(s.spec),
      s.specHash,
      s.trainerVersion,
      s.scheduleId ?? null,
      s.workflowId ?? null,
      JSON.stringify(s.tags ?? {}),
      s.status ?? 'pending',
      s.gridCells ?? null,
    ],
  );
}

// The hash of a method: command sweep's program, as its registration computed it (its cells' keys hold
// it): written into the stored spec (whose section is named after the method), where the workers running its cells read it for their results.
export async function recordCodeHash(pool: pg.Pool, id: string, codeHash: string): Promise<void> {
  await pool.query(
    `UPDATE sweeps SET spec = jsonb_set(spec, ARRAY[$3, 'code_hash'], to_jsonb($2::text)) WHERE id = $1`,
    [id, codeHash, COMMAND_METHOD],
  );
}

// A worker has registered the sweep's cells: it runs now, unless it was cancelled while queued (false).
// A retried registration finds it running already.
export async function markSweepRunning(pool: pg.Pool, id: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE sweeps SET status = 'running', started_at = coalesce(started_at, now())
     WHERE id = $1 AND status IN ('queued', 'pending', 'running')`,
    [id],
  );
  return rowCount === 1;
}

// A sweep whose workflow was stopped before any worker ran it; a finished sweep keeps its status.
export async function markSweepCancelled(pool: pg.Pool, id: string): Promise<void> {
  await pool.query(
    `UPDATE sweeps SET status = 'cancelled', finished_at = now()
     WHERE id = $1 AND NOT (status = ANY($2::text[]))`,
    [id, FINISHED_STATUSES],
  );
}

// The most recent sweep of a workflow id (`run` prints it beside the sweep id). Only looked up when no
// id or name matched: sweeps has no index on workflow_id, and needs none for this.
const SWEEP_BY_WORKFLOW_ID_SQL = `
SELECT s.*, to_jsonb(c) AS counts
FROM (SELECT * FROM sweeps WHERE workflow_id = $1 ORDER BY created_at DESC LIMIT 1) s
CROSS JOIN LATERAL sweep_counts(s.id) c`;

// By id first, else the most recent sweep with that name, else with that workflow id.
export async function getSweep(pool: pg.Pool, idOrName: string): Promise<SweepRow | undefined> {
  const { rows } = await pool.query<SweepRow>(SWEEP_BY_ID_OR_NAME_SQL, [idOrName]);
  if (rows.length > 0) return rows[0];
  return (await pool.query<SweepRow>(SWEEP_BY_WORKFLOW_ID_SQL, [idOrName])).rows[0];
}

export async function listSweeps(
  pool: pg.Pool,
  opts: { limit?: number; scheduleId?: string } = {},
): Promise<SweepRow[]> {
  const { rows } = await pool.query<SweepRow>(LIST_SWEEPS_SQL, [opts.limit ?? 50, opts.scheduleId ?? null]);
  return rows;
}

export type SweepPatch = Partial<Pick<SweepRow, 'status' | 'started_at' | 'finished_at' | 'workflow_id'>>;

// Column names come from this list, never from the caller: the patch's keys are checked against it.
const PATCHABLE: readonly (keyof SweepPatch)[] = ['status', 'started_at', 'finished_at', 'workflow_id'];

export async function updateSweep(pool: pg.Pool, id: string, patch: SweepPatch): Promise<void> {
  const unknown = Object.keys(patch).filter((k) => !PATCHABLE.includes(k as keyof SweepPatch));
  if (unknown.length > 0) throw new Error(`updateSweep: not updatable: ${unknown.join(', ')}`);
  const columns = PATCHABLE.filter((k) => patch[k] !== undefined);
  if (columns.length === 0) return;
  const sets = columns.map((c, i) => `${c} = $${i + 2}`).join(', ');
  const result = await pool.query(`UPDATE sweeps SET ${sets} WHERE id = $1`, [
    id,
    ...columns.map((c) => patch[c]),
  ]);
  if (result.rowCount === 0) throw new Error(`updateSweep: no sweep with id ${id}`);
}
