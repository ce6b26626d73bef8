// Client side (CLI, tests, benchmarks): never imported by the workflow bundle.
import { randomBytes } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { specHash, type SweepSpec } from '../sweep/spec.ts';
import { CONTROL_QUEUE } from '../sweep/queues.ts';
import { newSweepId, sweepWorkflowId } from '../sweep/ids.ts';
import type { sweepWorkflow } from '../workflows/sweep-workflow.ts';
import type { SweepWorkflowInput } from '../workflows/types.ts';

export type SweepHandle = WorkflowHandle<typeof sweepWorkflow>;

export interface StartedSweep {
  sweepId: string;
  workflowId: string;
  // True when a run of the same spec was already going and this call joined it.
  attached: boolean;
  handle: SweepHandle;
}

export type StartSweepOptions = Pick<SweepWorkflowInput, 'continueAsNewAfterBatches' | 'heartbeatTimeoutMs'>;

// Starts the sweep, or attaches to the running one with the same name and spec hash (USE_EXISTING);
// a finished one of the same id is followed by a new run, i.e. a new sweep. The sweep id travels in the
// memo, so an attaching caller learns the id of the sweep it joined without a worker answering a query.
export async function startSweep(
  client: Client,
  spec: SweepSpec,
  opts: StartSweepOptions = {},
): Promise<StartedSweep> {
  const workflowId = sweepWorkflowId(spec.name, specHash(spec));
  const candidate = newSweepId(spec.name, new Date(), randomBytes(3).toString('hex'));
  const input: SweepWorkflowInput = { spec, sweepId: candidate, ...opts };
  const handle = await client.workflow.start<typeof sweepWorkflow>('sweepWorkflow', {
    taskQueue: CONTROL_QUEUE,
    workflowId,
    args: [input],
    memo: { sweep_id: candidate },
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  const description = await handle.describe();
  const running = description.memo?.sweep_id;
  const sweepId = typeof running === 'string' ? running : candidate;
  return { sweepId, workflowId, attached: sweepId !== candidate, handle };
}
