import type pg from 'pg';
import { phasesweepHome } from '../infra/local/home.ts';
import { runningLocalStack } from '../infra/local/stack.ts';
import { checkDatabase, createPool } from '../store/pool.ts';
import { getSweep, type SweepRow } from '../store/sweeps.ts';
import { BadInputError } from './exit.ts';

// The read-only commands (ls, show, plot, export, drift) need only Postgres: DATABASE_URL when set,
// else the running local stack's Postgres, whether or not its Temporal server runs. Nothing is started
// for them.
export async function databaseUrl(): Promise<string> {
  const url =
    process.env.DATABASE_URL ||
    runningLocalStack(phasesweepHome(), { postgres: true, temporal: false }).databaseUrl!;
  await checkDatabase(url);
  return url;
}

export async function withStore<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = createPool(await databaseUrl(), { max: 4 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

export async function requireSweep(pool: pg.Pool, idOrName: string): Promise<SweepRow> {
  const sweep = await getSweep(pool, idOrName);
  if (!sweep) {
    throw new BadInputError(
      `unknown sweep '${idOrName}': no sweep has that id or name (\`phasesweep ls\` lists them)`,
    );
  }
  return sweep;
}
