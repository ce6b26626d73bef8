import { hostname } from 'node:os';
import { NativeConnection, Worker } from '@temporalio/worker';
import { maxCellsSetting } from '../infra/max-cells.ts';
import { temporalSecurity } from '../infra/temporal-connection.ts';
import {
  CANCEL_REACH_MS,
  createControlActivities,
  createTrainActivities,
  TrainingThreads,
} from '../activities/index.ts';
import { migrate } from '../store/migrate.ts';
import { createPool } from '../store/pool.ts';
import { initBackend, type BackendName } from '../trainer/index.ts';
import { CONTROL_QUEUE, type TrainQueue } from '../sweep/queues.ts';
import { phasesweepHome } from '../infra/local/home.ts';
import { CommandCellRunner } from './command/cell-runner.ts';
import { boundHeapGrowth } from './heap-growth.ts';
import { ensureWorkerRuntime } from './runtime.ts';
import { workflowBundle } from './workflow-bundle.ts';

export interface SweepWorkerOptions {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  queue: TrainQueue;
  // trainBatch activities at once on this worker.
  concurrency: number;
  backend: BackendName;
  // Default heartbeat timeout of the sweeps this worker registers (see activities/contract.ts).
  heartbeatTimeoutMs?: number;
  // This worker's GPUs by UUID (worker --gpus): method: command cells run one per slot of
  // resources.gpus of them, with CUDA_VISIBLE_DEVICES set to the slot's.
  gpus?: readonly string[];
  log?: (line: string) => void;
}

export interface SweepWorker {
  workerId: string;
  backend: string;
  // Resolves when both inner workers have stopped (after shutdown(), or a signal).
  run(): Promise<void>;
  // Runs until `until` settles, then shuts down; returns (or throws) what `until` did.
  runUntil<T>(until: Promise<T>): Promise<T>;
  shutdown(): void;
}

// One process, two Temporal workers sharing one connection and one pool: the control worker runs sweep
// workflows and their bookkeeping on CONTROL_QUEUE; the train worker runs trainBatch on its resource
// queue with the given concurrency, training in worker threads (activities/training-threads.ts) so that
// this thread stays free for Temporal. Migrations are applied first, so a fresh database just works.
export async function startSweepWorker(opts: SweepWorkerOptions): Promise<SweepWorker> {
  boundHeapGrowth();
  ensureWorkerRuntime();
  // Training threads load the trainer on their own cores while this thread migrates and bundles.
  const threads = new TrainingThreads(opts.backend);
  threads.warm(opts.concurrency);
  let backend: string;
  try {
    await migrate(opts.databaseUrl);
    backend = await initBackend(opts.backend);
  } catch (err) {
    await threads.close();
    throw err;
  }
  const workerId = `${hostname()}:${process.pid}:${opts.queue}`;
  let commands: CommandCellRunner;
  try {
    // Before anything runs: opening it also ends what a SIGKILLed worker of this host left running.
    commands = await CommandCellRunner.open({
      stateDir: phasesweepHome(),
      cpuSlots: opts.concurrency,
      gpus: opts.gpus,
      log: opts.log ?? ((line) => process.stderr.write(`${line}\n`)),
    });
  } catch (err) {
    await threads.close();
    throw err;
  }
  const pool = createPool(opts.databaseUrl, { max: opts.concurrency + 4 });
  const connection = await NativeConnection.connect({
    address: opts.temporalAddress,
    ...temporalSecurity(),
  });
  const release = async () => {
    await commands.close();
    await threads.close();
    await connection.close();
    await pool.end();
  };
  try {
    const deps = {
      pool,
      workerId,
      heartbeatTimeoutMs: opts.heartbeatTimeoutMs,
      maxCells: maxCellsSetting(),
      commands,
    };
    const common = {
      connection,
      namespace: opts.namespace,
      identity: workerId,
      shutdownGraceTime: '5 seconds',
    };
    const control = await Worker.create({
      ...common,
      taskQueue: CONTROL_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: createControlActivities(deps),
      maxConcurrentActivityTaskExecutions: 8,
    });
    const train = await Worker.create({
      ...common,
      taskQueue: opts.queue,
      activities: createTrainActivities(deps, threads),
      maxConcurrentActivityTaskExecutions: opts.concurrency,
      // Heartbeats carry cancellations back: see activities/cancel-reach.ts.
      maxHeartbeatThrottleInterval: CANCEL_REACH_MS,
    });
    opts.log?.(
      `worker ${workerId}: queue ${opts.queue}, concurrency ${opts.concurrency}, backend ${backend}, workflows on ${CONTROL_QUEUE}` +
        (opts.gpus && opts.gpus.length > 0 ? `, GPUs ${opts.gpus.join(',')}` : '') +
        (opts.heartbeatTimeoutMs === undefined
          ? ''
          : `, heartbeat timeout ${opts.heartbeatTimeoutMs / 1000} s for sweeps whose spec sets none`),
    );
    let running: Promise<void> | undefined;
    const shutdown = () => {
      for (const w of [control, train]) if (w.getState() === 'RUNNING') w.shutdown();
    };
    const run = () => {
      running ??= (async () => {
        try {
          const results = await Promise.allSettled([control.run(), train.run()]);
          shutdown();
          const failed = results.find((r) => r.status === 'rejected');
          if (failed) throw failed.reason;
        } finally {
          await release();
        }
      })();
      return running;
    };
    const runUntil = async <T>(until: Promise<T>): Promise<T> => {
      const stopped = run();
      try {
        const stoppedFirst = stopped.then(() => {
          throw new Error(`worker ${workerId} stopped before its work was done`);
        });
        return await Promise.race([until, stoppedFirst]);
      } finally {
        shutdown();
        await stopped;
      }
    };
    return { workerId, backend, run, runUntil, shutdown };
  } catch (err) {
    await release();
    throw err;
  }
}
