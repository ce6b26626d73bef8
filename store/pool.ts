import pg from 'pg';

const DEFAULT_CHECK_TIMEOUT_MS = 5_000;

// Thrown for a DATABASE_URL that cannot even be parsed: the CLI exits 2 on it.
export class DatabaseUrlError extends Error {
  readonly badInput = true;
}

function parse(url: string): URL {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new Error('scheme');
    return parsed;
  } catch {
    // The URL itself may hold a password: the message names only its shape.
    throw new DatabaseUrlError(
      'DATABASE_URL is not a postgres:// URL (expected postgres://user:password@host:port/database)',
    );
  }
}

// "host:port/db as user", for messages and logs: never the password.
export function describeDatabaseUrl(url: string): string {
  const parsed = parse(url);
  const host = parsed.hostname || 'localhost';
  const port = parsed.port || '5432';
  const db = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  const user = decodeURIComponent(parsed.username) || '(default user)';
  return `${host}:${port}/${db} as ${user}`;
}

// The URL with its password masked, for `up` and `status`.
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

export function createPool(databaseUrl: string, opts: { max?: number } = {}): pg.Pool {
  parse(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.max ?? 10 });
  // An idle client whose server went away emits 'error' on the pool; unhandled it would crash the
  // process, while the next query reports the problem anyway.
  pool.on('error', () => undefined);
  return pool;
}

function redact(text: string, url: string): string {
  const password = parse(url).password;
  if (!password) return text;
  return text.replaceAll(password, '****').replaceAll(decodeURIComponent(password), '****');
}

// Fails within timeoutMs with a message naming host:port, so a wrong DATABASE_URL is reported at once
// instead of as a hang somewhere later.
export async function checkDatabase(
  databaseUrl: string,
  timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<void> {
  const where = describeDatabaseUrl(databaseUrl);
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const e = err as { message?: string; code?: string };
    const reason = e.message || e.code || String(err);
    throw new Error(`cannot use Postgres at ${where}: ${redact(reason, databaseUrl)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
