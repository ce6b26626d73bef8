import pg from 'pg';
import { scramVerifier } from './scram.ts';

export const DEFAULT_WRITER_ROLE = 'phasesweep_writer';
export const DEFAULT_READER_ROLE = 'phasesweep_reader';
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const ROLES_LOCK = 'phasesweep:roles';

export class RoleConfigError extends Error {
  readonly badInput = true;
}

export interface RoleOptions {
  readerPassword: string;
  // Without one the writer is a NOLOGIN group role: grant it to the login the workers use.
  writerPassword?: string;
  readerRole?: string;
  writerRole?: string;
}

function roleName(value: string | undefined, envName: string, fallback: string): string {
  const name = value ?? (process.env[envName] || fallback);
  if (!ROLE_NAME.test(name)) {
    throw new RoleConfigError(
      `role name "${name}" (${value === undefined ? envName : 'option'}) must be lower-case letters, digits and _`,
    );
  }
  return name;
}

// Upserts a role: created if absent, password (as a SCRAM verifier) and LOGIN brought up to date if not.
async function upsertRole(client: pg.ClientBase, name: string, password: string | undefined): Promise<void> {
  const login =
    password === undefined ? 'NOLOGIN' : `LOGIN PASSWORD ${pg.escapeLiteral(scramVerifier(password))}`;
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  const verb = exists.rowCount === 0 ? 'CREATE' : 'ALTER';
  if (verb === 'ALTER' && password === undefined) return;
  await client.query(`${verb} ROLE ${pg.escapeIdentifier(name)} ${login}`);
}

// The writer (workers, CLI) may read and write rows; the reader (Grafana) may only SELECT, and its
// sessions are read-only. Default privileges cover tables later migrations create. Not a migration:
// the passwords come from the environment. Idempotent and safe to run concurrently.
export async function ensureRoles(
  pool: pg.Pool,
  opts: RoleOptions,
): Promise<{ writerRole: string; readerRole: string }> {
  if (!opts.readerPassword)
    throw new RoleConfigError('the reader role needs a password (PHASESWEEP_GRAFANA_PASSWORD)');
  const writer = roleName(opts.writerRole, 'PHASESWEEP_WRITER_ROLE', DEFAULT_WRITER_ROLE);
  const reader = roleName(opts.readerRole, 'PHASESWEEP_READER_ROLE', DEFAULT_READER_ROLE);
  if (writer === reader) throw new RoleConfigError(`writer and reader roles must differ (both "${writer}")`);
  const w = pg.escapeIdentifier(writer);
  const r = pg.escapeIdentifier(reader);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Roles are cluster-wide and CREATE ROLE races with itself: one migrator at a time.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [ROLES_LOCK]);
    await upsertRole(client, writer, opts.writerPassword);
    await upsertRole(client, reader, opts.readerPassword);
    const db = pg.escapeIdentifier((await client.query('SELECT current_database() AS db')).rows[0].db);
    await client.query(`
      GRANT CONNECT ON DATABASE ${db} TO ${w}, ${r};
      GRANT USAGE ON SCHEMA public TO ${w}, ${r};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${w};
      GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${r};
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${w};
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ${r};
      REVOKE CREATE ON SCHEMA public FROM ${r};
      ALTER ROLE ${r} SET default_transaction_read_only = on;
    `);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new Error(`could not set up the database roles ${writer} and ${reader}: ${(err as Error).message}`);
  } finally {
    client.release();
  }
  return { writerRole: writer, readerRole: reader };
}
