import type pg from 'pg';

// Session-level advisory lock keyed by a name (hashed to a bigint by Postgres itself), released even
// when fn throws.
export async function withAdvisoryLock<T>(
  client: pg.ClientBase,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
  try {
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]).catch(() => undefined);
  }
}
