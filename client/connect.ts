// Client side: one Temporal client for a CLI command.
import { Client, Connection } from '@temporalio/client';
import { temporalSecurity } from '../infra/temporal-connection.ts';

export async function connectClient(
  address: string,
  namespace: string,
): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address, ...temporalSecurity() });
  return { client: new Client({ connection, namespace }), close: () => connection.close() };
}
