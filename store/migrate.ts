import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describeDatabaseUrl } from './pool.ts';
import { withAdvisoryLock } from './advisory-lock.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const MIGRATION_FILE = /^\d{3,}_[a-z0-9_]+\.sql$/;

// Several workers may start at once and each migrate: one advisory lock serialises them, and whoever
// comes second finds nothing left to apply.
const MIGRATION_LOCK = 'phasesweep:migrate';

export class MigrationError extends Error {}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: string): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((name) => {
      if (!MIGRATION_FILE.test(name)) {
        throw new MigrationError(`migration file ${join(dir, name)}: name must look like 001_some_name.sql`);
      }
      const sql = readFileSync(join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// Each migration runs in its own transaction together with its bookkeeping row: it is applied
// completely or not at all (Postgres DDL is transactional).
export async function migrate(
  databaseUrl: string,
  opts: { dir?: string } = {},
): Promise<{ applied: string[] }> {
  const files = readMigrations(opts.dir ?? MIGRATIONS_DIR);
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new MigrationError(
      `cannot migrate Postgres at ${describeDatabaseUrl(databaseUrl)}: ${(err as Error).message}`,
    );
  }
  try {
    return await withAdvisoryLock(client, MIGRATION_LOCK, () => applyPending(client, files));
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function applyPending(client: pg.Client, files: MigrationFile[]): Promise<{ applied: string[] }> {
  // Checked before creating: a role without CREATE on the schema (the writer, migrating at worker
  // start) may read the bookkeeping but not even attempt CREATE TABLE IF NOT EXISTS.
  const exists = await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS found");
  if (!exists.rows[0].found) {
    await client.query(`CREATE TABLE schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  }
  const done = new Map(
    (
      await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')
    ).rows.map((r) => [r.name, r.checksum]),
  );
  const applied: string[] = [];
  for (const file of files) {
    const previous = done.get(file.name);
    if (previous !== undefined) {
      // A shipped migration edited afterwards would leave databases that disagree on what it did.
      if (previous !== file.checksum) {
        throw new MigrationError(
          `migration ${file.name} was changed after it was applied to this database: put schema changes in a new migration`,
        );
      }
      continue;
    }
    try {
      await client.query('BEGIN');
      await client.query(file.sql);
      await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
        file.name,
        file.checksum,
      ]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new MigrationError(
        `migration ${file.name} failed and was rolled back (schema unchanged by it): ${(err as Error).message}`,
      );
    }
    applied.push(file.name);
  }
  return { applied };
}
