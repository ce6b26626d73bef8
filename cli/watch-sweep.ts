import { WorkflowNotFoundError } from '../client/temporal-errors.ts';
import type pg from 'pg';
import { resolveEndpoints } from '../infra/local/endpoints.ts';
import { sweepBoundaries } from '../store/boundaries.ts';
import { gridPoints } from '../store/grid-points.ts';
import { countsOf } from '../store/sweep-counts.ts';
import { getSweep, type SweepRow } from '../store/sweeps.ts';
import { isFinished, isSettled } from '../sweep/statuses.ts';
import { awaitSweep, pollProgress } from '../client/await-sweep.ts';
import { connectClient } from '../client/connect.ts';
import type { SweepHandle } from '../client/start-sweep.ts';
import { liveProgress, progressJson, type LiveProgress } from './live-progress.ts';
import { requireSweep, withStore } from './store-session.ts';
import { renderSweepHeatmaps } from './views/heatmap.ts';
import { createProgressView } from './views/progress-bar.ts';
import { outageNotice } from './temporal-outage.ts';
import { renderSweepSummary, useColor } from './views/sweep-summary.ts';
import { parseDuration } from '../sweep/duration.ts';
import { sweepStillWaiting, trainQueueOf, waitForWorker, type WaitOptions } from './wait-for-worker.ts';

function reattachHint(sweepId: string | undefined, localWorker: boolean): string {
  const id = sweepId ?? '<sweep>';
  return [
    `\nStopped watching. The sweep ${sweepId ?? ''} stays in Temporal with every stored result kept.`.replace(
      '  ',
      ' ',
    ),
    localWorker
      ? '  This process was its worker: run the same spec again (it attaches) or start `phasesweep worker` to go on.'
      : '',
    `  reattach: phasesweep watch ${id}`,
    `  cancel:   phasesweep cancel ${id}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export interface ProgressWatch {
  /** Hooks for executeRun (`run --watch`): each progress answer redraws the bar. */
  onProgress(p: LiveProgress): void;
  stop(): void;
}

/**
 * A progress bar on stderr plus a Ctrl-C handler that leaves the sweep running and says how to
 * reattach or cancel. `localWorker` says whether this process also trains the sweep.
 */
export function watchProgress(opts: { localWorker: boolean; sweepId?: string }): ProgressWatch {
  const view = createProgressView();
  let sweepId = opts.sweepId;
  const onSigint = () => {
    view.stop();
    process.stderr.write(`${reattachHint(sweepId, opts.localWorker)}\n`);
    process.exit(130);
  };
  process.on('SIGINT', onSigint);
  return {
    onProgress(p) {
      sweepId = p.sweep_id || sweepId;
      view.update(p);
    },
    stop() {
      process.off('SIGINT', onSigint);
      view.stop();
    },
  };
}

/** The sweep's summary and heatmaps (what `run --watch` and `watch` show last). */
export function printOutcome(databaseUrl: string, sweepId: string): Promise<SweepRow | undefined> {
  return withStore(async (pool) => {
    const sweep = await getSweep(pool, sweepId);
    if (!sweep) return undefined;
    console.log(renderSweepSummary(sweep));
    console.log('');
    const points = await gridPoints(pool, sweep.id);
    const refined = await sweepBoundaries(pool, sweep.id);
    console.log(renderSweepHeatmaps(points, { color: useColor(undefined) }, undefined, refined));
    return sweep;
  }, databaseUrl);
}

async function follow(
  pool: pg.Pool,
  handle: SweepHandle,
  sweepId: string,
  address: string,
  opts: { json?: boolean; intervalMs?: number },
  wait: WaitOptions,
) {
  const ended = waitForWorker(awaitSweep(handle, outageNotice(address)), wait);
  const read = () => liveProgress(pool, sweepId, handle);
  if (opts.json) {
    await pollProgress(read, ended, (p) => console.log(JSON.stringify(progressJson(p))), opts.intervalMs);
  } else {
    const watch = watchProgress({ localWorker: false, sweepId });
    try {
      await pollProgress(read, ended, watch.onProgress, opts.intervalMs);
    } finally {
      watch.stop();
    }
  }
  await ended;
}

/** Follows a sweep's progress query until it ends, then prints its outcome; returns the exit code. */
export async function watchSweep(
  idOrName: string,
  opts: { json?: boolean; intervalMs?: number; timeout?: string },
): Promise<number> {
  const timeoutMs = opts.timeout === undefined ? undefined : parseDuration(opts.timeout, '--timeout');
  const endpoints = await resolveEndpoints();
  const sweep = await withStore((pool) => requireSweep(pool, idOrName), endpoints.databaseUrl);
  if (!isFinished(sweep.status) && sweep.workflow_id) {
    const { client, close } = await connectClient(endpoints.temporalAddress, endpoints.namespace);
    try {
      const handle: SweepHandle = client.workflow.getHandle(sweep.workflow_id);
      // The workflow id is reused by later runs of the same spec: follow it only while it runs this sweep.
      const description = await handle.describe().catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      });
      const memoId = description?.memo?.sweep_id;
      if (!description || (typeof memoId === 'string' && memoId !== sweep.id)) {
        throw new Error(
          `sweep ${sweep.id} is marked ${sweep.status} but its workflow ${sweep.workflow_id} is not running it`,
        );
      }
      const queues = { trainQueue: trainQueueOf(sweep.spec) };
      await withStore(
        (pool) =>
          follow(pool, handle, sweep.id, endpoints.temporalAddress, opts, {
            client,
            ...queues,
            timeoutMs,
            timeoutLabel: opts.timeout,
            what: sweepStillWaiting(
              client,
              queues,
              sweep.id,
              async () => (await getSweep(pool, sweep.id))?.status,
            ),
          }),
        endpoints.databaseUrl,
      );
    } finally {
      await close();
    }
  }
  const after = opts.json
    ? await withStore((pool) => getSweep(pool, sweep.id), endpoints.databaseUrl)
    : await printOutcome(endpoints.databaseUrl, sweep.id);
  if (opts.json) {
    const counts = after ? countsOf(after.counts) : null;
    console.log(JSON.stringify({ sweep_id: sweep.id, status: after?.status, counts, sweep: after }));
  }
  return isSettled(after?.status) ? 0 : 1;
}

/** `run --watch`: the progress bar while run waits, then the sweep's heatmaps. */
export function startRunWatch(opts: { json?: boolean; localWorker?: boolean }): {
  hooks: { onProgress?: (p: LiveProgress) => void };
  finish(sweepId: string): Promise<void>;
  stop(): void;
} {
  // With TEMPORAL_ADDRESS unset, run trains in-process unless told not to (see run-sweep.ts).
  const localWorker = opts.localWorker !== false && !process.env.TEMPORAL_ADDRESS;
  const watch = opts.json ? undefined : watchProgress({ localWorker });
  return {
    hooks: watch ? { onProgress: watch.onProgress } : {},
    stop() {
      watch?.stop();
    },
    async finish(sweepId) {
      if (!watch) return;
      watch.stop();
      const endpoints = await resolveEndpoints({ check: false });
      await printOutcome(endpoints.databaseUrl, sweepId);
    },
  };
}
