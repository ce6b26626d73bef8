import { setTimeout as sleep } from 'node:timers/promises';

// A database that is down (restarting, failing over, briefly unreachable) must not cost a batch its
// Temporal attempts: those are for cells that fail, and three quick attempts would turn every batch in
// flight during a 20 s outage into recorded failures. So database calls inside an activity wait the
// outage out with backoff, heartbeating, until the database answers or the give-up time passes.

// Connection-level failures only: SQL errors (constraints, permissions, read-only) are real answers.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof e?.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (typeof e?.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  // Node reports a refused connection to a host with several addresses as an AggregateError.
  return Array.isArray(e?.errors) && e.errors.some(isDatabaseUnavailable);
}

export interface DatabaseRetryOptions {
  signal: AbortSignal;
  // Called before each wait: the activity heartbeats, so Temporal sees it alive.
  onWait?: (err: unknown) => void;
  giveUpAfterMs?: number;
}

export async function whileDatabaseDown<T>(op: () => Promise<T>, opts: DatabaseRetryOptions): Promise<T> {
  const deadline = Date.now() + (opts.giveUpAfterMs ?? 10 * 60_000);
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await op();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + delay > deadline) throw err;
      opts.onWait?.(err);
      await sleep(delay, undefined, { signal: opts.signal });
    }
  }
}
