// A worker SIGKILLed (a preempted GPU node) after its `method: command` program reported a checkpoint:
// the checkpoint reached Temporal in a heartbeat's details while the program ran, so the attempt after
// the lost one, on another worker, gets it as resume_from; the cell is stored once. Before the program's
// first event the recorded details are already the batch's (they were binary/null). About 30 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { connectClient } from '../../client/connect.ts';
import { runPhasesweep } from '../helpers/stack.ts';
import { queryRows, spawnWorker } from '../helpers/sweeps.ts';
import { assertComplete, assertWorkflowCompleted, faultStack, sweepIdOf } from '../helpers/faults.ts';
import { commandSpec, until } from '../helpers/command-faults.ts';

const f = faultStack('command-checkpoint');

// The heartbeat details of the sweep's running batch as Temporal last recorded them, once it recorded
// a heartbeat (`null` stands for a heartbeat without details: binary/null).
async function recordedDetails(workflowId: string): Promise<{ details: unknown } | undefined> {
  const { client, close } = await connectClient(
    f.stack.endpoints.temporalAddress,
    f.stack.endpoints.namespace,
  );
  try {
    const { raw } = await client.workflow.getHandle(workflowId).describe();
    const batch = raw.pendingActivities?.[0];
    if (!batch?.lastHeartbeatTime) return undefined;
    const payload = batch.heartbeatDetails?.payloads?.[0];
    return { details: payload ? (defaultPayloadConverter.fromPayload(payload) ?? null) : null };
  } finally {
    await close();
  }
}

test(
  'a worker SIGKILLed after a checkpoint: the next attempt, on another worker, resumes from it; stored once',
  { timeout: 240_000 },
  async () => {
    const inputs = join(f.dir, 'inputs');
    mkdirSync(inputs);
    const checkpoint = join(inputs, 'ckpt-1');
    const spec = commandSpec(
      f.dir,
      'checkpoint-killed',
      {
        argv: ['sh', 'checkpoint-hang.sh'],
        metrics: ['loss'],
        code: ['checkpoint-hang.sh'],
        grace: '1s',
        timeout: '10m',
        env: { INPUTS_DIR: inputs },
      },
      // A lost batch is retried elsewhere once its heartbeat times out.
      { grid: { case: ['killed'] }, resources: { heartbeat_timeout: '3s' } },
    );
    const first = await spawnWorker(f.env, ['--concurrency', '1']);
    let second: Awaited<ReturnType<typeof spawnWorker>> | undefined;
    try {
      const run = await runPhasesweep(['run', spec, '--json'], f.env);
      const sweepId = await sweepIdOf(run);
      const workflowId = String((JSON.parse(run.stdout) as { workflow_id: string }).workflow_id);
      // The program is still starting: the batch's heartbeats already carry its details, no checkpoint.
      const { details: initial } = await until('a first heartbeat', 60_000, () =>
        recordedDetails(workflowId),
      );
      assert.equal((initial as { cells?: number } | null)?.cells, 1, `recorded: ${JSON.stringify(initial)}`);
      await until('the checkpoint reported', 60_000, async () =>
        existsSync(join(inputs, 'checkpointed')) ? true : undefined,
      );
      const reported = Date.now();
      let seen: unknown;
      await until('the checkpoint in the recorded heartbeat details', 60_000, async () => {
        seen = (await recordedDetails(workflowId))?.details;
        return JSON.stringify(seen ?? null).includes(checkpoint) ? true : undefined;
      }).catch((err: Error) => {
        throw new Error(`${err.message}; last recorded: ${JSON.stringify(seen)}`);
      });
      console.log(`the checkpoint was recorded ${Date.now() - reported} ms after the program reported it`);
      first.child.kill('SIGKILL');

      second = await spawnWorker(f.env, ['--concurrency', '1']);
      await assertWorkflowCompleted(f, workflowId);
      const input = (n: number) =>
        JSON.parse(readFileSync(join(inputs, `attempt-${n}.json`), 'utf8')) as { resume_from: unknown };
      assert.equal(input(1).resume_from, null);
      assert.equal(input(2).resume_from, checkpoint, 'the second attempt resumes from the checkpoint');
      const stored = await queryRows<{ worker_id: string }>(
        f.databaseUrl,
        'SELECT r.worker_id FROM sweep_cells c JOIN results r USING (cell_key) WHERE c.sweep_id = $1',
        [sweepId],
      );
      assert.equal(stored.length, 1);
      assert.match(stored[0].worker_id, new RegExp(`:${second.child.pid}:`), 'by the second worker');
      await assertComplete(f.env, f.databaseUrl, sweepId, 1);
    } finally {
      await second?.stop();
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    }
  },
);
