import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { resolveEndpoints } from '../infra/local/endpoints.ts';
import { temporalSecurity } from '../infra/temporal-connection.ts';

const CONNECT_TIMEOUT_MS = 3_000;

// Whether Temporal has a schedule of this id: undefined when Temporal cannot be asked (not configured,
// not running or not answering), since the read-only commands need only the database.
export async function scheduleExists(id: string): Promise<boolean | undefined> {
  let connection: Connection | undefined;
  try {
    const endpoints = await resolveEndpoints({ check: false });
    connection = await Connection.connect({
      address: endpoints.temporalAddress,
      connectTimeout: CONNECT_TIMEOUT_MS,
      ...temporalSecurity(),
    });
    const client = new Client({ connection, namespace: endpoints.namespace });
    await client.schedule.getHandle(id).describe();
    return true;
  } catch (err) {
    return err instanceof ScheduleNotFoundError ? false : undefined;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
