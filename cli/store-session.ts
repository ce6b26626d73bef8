import type pg from 'pg';
import { phasesweepHome } from '../infra/local/home.ts';
import { runningLocalStack } from '../infra/local/stack.ts';
import { checkDatabase, createPool } from '../store/pool.ts';
import { getSweep, type SweepRow } from '../store/sweeps.ts';
import { BadInputError } from './exit.ts';

// The read-only commands (ls, show, plot, export, drift, results, verify) need only Postgres: DATABASE_URL when set,
// else the running local stack's Postgres, whether or not its Temporal server runs. Nothing is started
// for them.
export async function databaseUrl(): Promise<string> {
  const url =
    process.env.DATABASE_URL ||
    runningLocalStack(phasesweepHome(), { postgres: true, temporal: false }).databaseUrl!;
  await checkDatabase(url);
  return url;
}

// One small pool for one command, ended when `fn` settles; `url` when the caller resolved it already.
export async function withStore<T>(fn: (pool: pg.Pool) => Promise<T>, url?: string): Promise<T> {
  const pool = createPool(url ?? (await databaseUrl()), { max: 4 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

// A sweep id or name (the most recent sweep of that name).
export async function requireSweep(pool: pg.Pool, idOrName: string): Promise<SweepRow> {
  const sweep = await getSweep(pool, idOrName);
  if (!sweep) {
    throw new BadInputError(
      `unknown sweep '${idOrName}': no sweep has that id or name (\`phasesweep ls\` lists them)`,
    );
  }
  return sweep;
}
