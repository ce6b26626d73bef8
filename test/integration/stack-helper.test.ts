import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startTestStack } from '../helpers/stack.ts';

Runtime.install({ logger: new DefaultLogger('WARN') });

let stack: Awaited<ReturnType<typeof startTestStack>>;
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

test('the test stack answers a real SQL query and is migrated', async () => {
  const client = new pg.Client({ connectionString: stack.endpoints.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ db: string; sum: number }>(
      'SELECT current_database() AS db, 2 + 3 AS sum',
    );
    assert.deepEqual(rows[0], { db: 'phasesweep', sum: 5 });
    const migrated = await client.query("SELECT to_regclass('results') IS NOT NULL AS found");
    assert.equal(migrated.rows[0].found, true);
  } finally {
    await client.end();
  }
});

test('a real worker runs a workflow on the test stack', async () => {
  const { temporalAddress, namespace } = stack.endpoints;
  const taskQueue = `stack-test-${process.pid}`;
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: temporalAddress }),
    namespace,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('../helpers/echo-workflow.ts', import.meta.url)),
  });
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const client = new Client({ connection, namespace });
    const result = await worker.runUntil(
      client.workflow.execute('echo', { args: ['hello'], taskQueue, workflowId: `echo-${Date.now()}` }),
    );
    assert.equal(result, 'echo: hello');
  } finally {
    await connection.close();
  }
});
