import type { Command } from 'commander';
import type pg from 'pg';
import { getSweep, markSweepCancelled } from '../../store/sweeps.ts';
import { isFinished } from '../../sweep/statuses.ts';
import type { SweepHandle } from '../../client/start-sweep.ts';

export function register(program: Command): void {
  program
    .command('cancel <sweep>')
    .description('cancel a running sweep (id or name); finished results are kept')
    .addHelpText('after', '\nExample:\n  $ phasesweep cancel default-supervised-phase-diagram --wait')
    .option('--wait', 'wait until the sweep has stopped (a worker must be polling to stop it)')
    .option('--timeout <duration>', 'with --wait: stop waiting after this long (e.g. 30s, 5m), exit 1')
    .action(async (idOrName: string, opts: { wait?: boolean; timeout?: string }) => {
      const { parseDuration } = await import('../../sweep/duration.ts');
      const { trainQueueOf, waitForWorker } = await import('../wait-for-worker.ts');
      const timeoutMs = opts.timeout === undefined ? undefined : parseDuration(opts.timeout, '--timeout');
      const { WorkflowNotFoundError } = await import('../../client/temporal-errors.ts');
      const { resolveEndpoints } = await import('../../infra/local/endpoints.ts');
      const { awaitSweep } = await import('../../client/await-sweep.ts');
      const { connectClient } = await import('../../client/connect.ts');
      const { requireSweep, withStore } = await import('../store-session.ts');
      const endpoints = await resolveEndpoints();
      const { client, close } = await connectClient(endpoints.temporalAddress, endpoints.namespace);
      const cancel = async (pool: pg.Pool) => {
        const sweep = await requireSweep(pool, idOrName);
        if (isFinished(sweep.status) || !sweep.workflow_id) {
          console.log(`sweep ${sweep.id} is ${sweep.status}: nothing to cancel`);
          return;
        }
        const handle: SweepHandle = client.workflow.getHandle(sweep.workflow_id);
        // The workflow id is reused by later runs of the same spec: cancel only if its current run is
        // this sweep.
        const description = await handle.describe().catch((err: unknown) => {
          if (err instanceof WorkflowNotFoundError) return undefined;
          throw err;
        });
        const running = description?.memo?.sweep_id === sweep.id && description.status.name === 'RUNNING';
        if (sweep.status === 'queued') {
          // No worker has run it: nothing is in flight to wind down, and a cancellation request would
          // wait for a worker. Terminated, it is closed now, and running the spec again starts anew.
          if (running) {
            await client.workflow
              .getHandle(sweep.workflow_id, description.runId)
              .terminate(`phasesweep cancel: sweep ${sweep.id} was cancelled while queued`);
          }
          await markSweepCancelled(pool, sweep.id);
          console.log(`sweep ${sweep.id} is cancelled: no worker had picked it up`);
          return;
        }
        if (!running) {
          throw new Error(
            `sweep ${sweep.id} is marked ${sweep.status} but no running workflow ${sweep.workflow_id} belongs to it`,
          );
        }
        await handle.cancel();
        console.log(`cancellation requested for sweep ${sweep.id}`);
        if (opts.wait) {
          await waitForWorker(awaitSweep(handle), {
            client,
            trainQueue: trainQueueOf(sweep.spec),
            timeoutMs,
            timeoutLabel: opts.timeout,
            what: `sweep ${sweep.id} has not stopped yet`,
          });
          const after = await getSweep(pool, sweep.id);
          console.log(`sweep ${sweep.id} is ${after?.status}`);
        }
      };
      try {
        await withStore(cancel, endpoints.databaseUrl);
      } finally {
        await close();
      }
    });
}
