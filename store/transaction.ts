import type pg from 'pg';

// One transaction on a client of the pool: committed when fn resolves, rolled back when it throws (the
// error thrown is fn's, never the rollback's), and the client returned to the pool either way.
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
