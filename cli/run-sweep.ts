import { availableParallelism } from 'node:os';
import type pg from 'pg';
import { resolveEndpoints } from '../infra/local/endpoints.ts';
import { verifySweep } from '../store/cells.ts';
import { migrate } from '../store/migrate.ts';
import { createPool } from '../store/pool.ts';
import { countsOf, type SweepCounts } from '../store/sweep-counts.ts';
import { isSettled } from '../sweep/statuses.ts';
import { createSweep, getSweep } from '../store/sweeps.ts';
import { countCells } from '../sweep/cells.ts';
import { specHash } from '../sweep/spec.ts';
import { loadSpecFile } from '../infra/spec-file.ts';
import { TRAINER_VERSION } from '../trainer/index.ts';
import { awaitSweep, pollProgress, type SweepEnd } from '../client/await-sweep.ts';
import { connectClient } from '../client/connect.ts';
import { startSweep } from '../client/start-sweep.ts';
import { startSweepWorker } from '../workers/sweep-worker.ts';
import { withProgramHash } from './command-program.ts';
import { liveProgress, type LiveProgress } from './live-progress.ts';
import { outageNotice } from './temporal-outage.ts';
import { parseDuration } from '../sweep/duration.ts';
import { backendSetting } from './backend-setting.ts';
import { heartbeatTimeoutSetting } from './heartbeat-timeout.ts';
import { sweepStillWaiting, WaitTimeoutError, waitForWorker, withTimeout } from './wait-for-worker.ts';

export interface RunOptions {
  wait?: boolean;
  json?: boolean;
  localWorker?: boolean;
  watch?: boolean;
  timeout?: string;
}

export interface RunHooks {
  // Called once the sweep is started or attached to, when this command is going to wait for it.
  onWaiting?: (report: RunReport) => void;
  // Called with each answer of the sweep's progress query while waiting (a progress bar goes here).
  onProgress?: (progress: LiveProgress) => void;
  progressIntervalMs?: number;
}

export interface RunReport {
  sweep_id: string;
  workflow_id: string;
  attached: boolean;
  local_worker: boolean;
  status?: string;
  counts?: SweepCounts;
  error?: string;
}

// The outcome of a run; `timedOut` when --timeout ended the wait (the report then holds the sweep's
// status and counts at that moment, and the caller exits 1 after printing it).
export interface RunOutcome {
  report: RunReport;
  ok: boolean;
  timedOut?: string;
}

// Starts (or attaches to) the sweep; waits when asked to, or when it brings its own in-process worker
// (that worker lives only as long as this command). Returns the report and whether every cell ended
// with a result or a recorded failure.
export async function executeRun(
  specPath: string,
  opts: RunOptions,
  hooks: RunHooks = {},
): Promise<RunOutcome> {
  const timeoutMs = opts.timeout === undefined ? undefined : parseDuration(opts.timeout, '--timeout');
  const spec = await loadSpecFile(specPath);
  await withProgramHash(spec, specPath);
  const endpoints = await resolveEndpoints({ start: true });
  await migrate(endpoints.databaseUrl);
  const localWorker = opts.localWorker !== false && endpoints.local.temporal;
  const { client, close } = await connectClient(endpoints.temporalAddress, endpoints.namespace);
  try {
    // The in-process worker starts (bundling, training threads) while the sweep is being started.
    const worker = localWorker
      ? startSweepWorker({
          databaseUrl: endpoints.databaseUrl,
          temporalAddress: endpoints.temporalAddress,
          namespace: endpoints.namespace,
          queue: spec.resources.queue,
          concurrency: Math.min(4, availableParallelism()),
          backend: backendSetting(undefined),
          heartbeatTimeoutMs: heartbeatTimeoutSetting(undefined),
        })
      : undefined;
    // Its failure surfaces where it is awaited below; until then it must not count as unhandled.
    worker?.catch(() => undefined);
    const started = await startSweep(client, spec).catch(async (err: unknown) => {
      await worker?.then((w) => w.runUntil(Promise.resolve())).catch(() => undefined);
      throw err;
    });
    // Known from now on, to `ls`, `show`, `watch` and `cancel`, before any worker registers it (a
    // worker's registration finds the row and moves it on).
    if (!started.attached) {
      await withPool(endpoints.databaseUrl, (pool) =>
        createSweep(pool, {
          id: started.sweepId,
          name: spec.name,
          spec,
          specHash: specHash(spec),
          trainerVersion: TRAINER_VERSION,
          workflowId: started.workflowId,
          tags: spec.tags,
          status: 'queued',
          gridCells: countCells(spec),
        }),
      );
    }
    const report: RunReport = {
      sweep_id: started.sweepId,
      workflow_id: started.workflowId,
      attached: started.attached,
      local_worker: localWorker,
    };
    if (!opts.wait && !localWorker) return { report, ok: true };
    hooks.onWaiting?.(report);

    const awaited = awaitSweep(started.handle, outageNotice(endpoints.temporalAddress));
    const pool = createPool(endpoints.databaseUrl, { max: 2 });
    const timeout = { timeoutMs, timeoutLabel: opts.timeout };
    // The in-process worker polls both queues itself: only an outside worker can be missing. When the
    // wait times out, runUntil shuts that worker down, and the sweep waits in Temporal for another.
    const ended = worker
      ? withTimeout(awaited, {
          ...timeout,
          what: `sweep ${started.sweepId} is still running; this process was its worker: run the same spec again (it attaches) or start \`phasesweep worker\` to go on`,
        })
      : waitForWorker(awaited, {
          client,
          trainQueue: spec.resources.queue,
          ...timeout,
          what: sweepStillWaiting(
            client,
            { trainQueue: spec.resources.queue },
            started.sweepId,
            async () => (await getSweep(pool, started.sweepId))?.status,
          ),
        });
    try {
      const polling = hooks.onProgress
        ? pollProgress(
            () => liveProgress(pool, started.sweepId, started.handle),
            ended,
            hooks.onProgress,
            hooks.progressIntervalMs,
          )
        : Promise.resolve();
      const end = await (worker ? (await worker).runUntil(ended) : ended).catch((err: unknown) => {
        if (err instanceof WaitTimeoutError) return err;
        throw err;
      });
      await polling;
      if (end instanceof WaitTimeoutError)
        return { ...(await currentReport(pool, report)), timedOut: end.message };
      return await finalReport(pool, report, end);
    } finally {
      await pool.end();
    }
  } finally {
    await close();
  }
}

async function withPool<T>(url: string, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = createPool(url, { max: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

// Where a sweep still going stands: its stored status (running, or queued while no worker has
// registered it) and counts.
async function currentReport(pool: pg.Pool, report: RunReport): Promise<RunOutcome> {
  const sweep = await getSweep(pool, report.sweep_id);
  return {
    report: { ...report, status: sweep?.status ?? 'unknown', counts: sweep && countsOf(sweep.counts) },
    ok: false,
  };
}

async function finalReport(pool: pg.Pool, report: RunReport, end: SweepEnd): Promise<RunOutcome> {
  const sweep = await getSweep(pool, report.sweep_id);
  const verified = await verifySweep(pool, report.sweep_id);
  const full: RunReport = { ...report, status: sweep?.status ?? 'unknown', counts: verified.counts };
  if (end.outcome === 'failed') full.error = end.error;
  return { report: full, ok: isSettled(full.status) && verified.ok };
}
