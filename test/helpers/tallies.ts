// Shared by the tests that hold the store's running tallies (012's counts and grid-point summaries,
// 020's metrics by name) against a recount from the rows: how close a tallied summary must be, rows in
// random order and batches, and a store migrated only up to the migration under test.
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { migrate, MIGRATIONS_DIR } from '../../store/migrate.ts';
import { createDatabase } from './databases.ts';

// The tallies merge per-statement summaries, so their last bits depend on how results were batched;
// 1e-12 relative is far above that rounding and far below any real miscount. A standard deviation is
// compared relative to the larger of itself and the mean: any one-pass computation of it, stddev_samp
// included, is off by about machine epsilon times the mean, which is 1e-12 of the deviation itself once
// the values agree to about four digits (stddev_samp gave two sweeps holding the same two values
// 2.5e-12 apart, by row order alone).
const REL = 1e-12;

export function close(a: number | null, b: number | null, scale = 0): boolean {
  if (a === null || b === null) return a === b;
  return a === b || Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b), Math.abs(scale));
}

export interface Summary {
  mean: number | null;
  sd: number | null;
}

/** Where a tallied mean and standard deviation disagree with the recount's, as readable lines. */
export function summaryDisagreements(what: string, tallied: Summary, live: Summary): string[] {
  const problems: string[] = [];
  if (!close(tallied.mean, live.mean)) problems.push(`${what}: mean ${tallied.mean} != live ${live.mean}`);
  if (!close(tallied.sd, live.sd, live.mean ?? 0))
    problems.push(`${what}: sd ${tallied.sd} != live ${live.sd}`);
  return problems;
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function randomChunks<T>(items: T[], random: () => number, max: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length;) {
    const size = 1 + Math.floor(random() * max);
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

/** A new database `name` on the test server with the shipped migrations before `firstLeftOut` (a file
 * name prefix such as '012') applied; its URL and the migrations applied. */
export async function storeBefore(
  serverUrl: string,
  name: string,
  firstLeftOut: string,
): Promise<{ url: string; applied: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), `migrations-before-${firstLeftOut}-`));
  try {
    for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < firstLeftOut))
      copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f));
    const url = await createDatabase(serverUrl, name);
    return { url, ...(await migrate(url, { dir })) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A sweep row in a store migrated only part way (storeBefore): the columns 001 created, because
 * today's createSweep also writes columns later migrations add. */
export async function createEarlySweep(
  pool: pg.Pool,
  s: { id: string; name: string; spec: unknown; specHash: string; trainerVersion: string },
): Promise<void> {
  await pool.query(
    'INSERT INTO sweeps (id, name, spec, spec_hash, trainer_version) VALUES ($1, $2, $3::jsonb, $4, $5)',
    [s.id, s.name, JSON.stringify(s.spec), s.specHash, s.trainerVersion],
  );
}
