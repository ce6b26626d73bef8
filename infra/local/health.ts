import pg from 'pg';
import { Connection } from '@temporalio/client';
import { temporalSecurity } from '../temporal-connection.ts';

const TIMEOUT_MS = 5_000;

// host:port of a database URL, for messages: never the password.
export function databaseHostPort(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

function reason(err: unknown): string {
  const e = err as { code?: string; message?: string; details?: string };
  return e.details || e.message || e.code || String(err);
}

// Runs a real query, so "healthy" means: reachable, authenticated, database present.
export async function checkPostgres(databaseUrl: string, timeoutMs = TIMEOUT_MS): Promise<void> {
  const where = databaseHostPort(databaseUrl);
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
    throw new Error(
      `Postgres at ${where} is not answering: ${reason(err).replaceAll(databaseUrl, maskDatabaseUrl(databaseUrl))}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

// A real gRPC round trip, and the namespace must exist: workflows cannot start otherwise.
export async function checkTemporal(
  address: string,
  namespace: string,
  timeoutMs = TIMEOUT_MS,
): Promise<void> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: timeoutMs, ...temporalSecurity() });
    await connection.workflowService.describeNamespace({ namespace });
  } catch (err) {
    const what = connection ? `has no namespace "${namespace}" or failed` : 'is not answering';
    throw new Error(`Temporal at ${address} ${what}: ${reason(err)}`);
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
