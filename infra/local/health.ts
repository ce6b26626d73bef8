import { Connection } from '@temporalio/client';
import { temporalSecurity } from '../temporal-connection.ts';

const TIMEOUT_MS = 5_000;

function reason(err: unknown): string {
  const e = err as { code?: string; message?: string; details?: string };
  return e.details || e.message || e.code || String(err);
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
