import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { TRAIN_QUEUES, type TrainQueue } from '../../sweep/queues.ts';
import { BACKEND_NAMES, type BackendName } from '../../trainer/index.ts';
import { BACKEND_ENV, backendSetting } from '../backend-setting.ts';
import { BadInputError } from '../exit.ts';
import { HEARTBEAT_TIMEOUT_ENV, heartbeatTimeoutSetting } from '../heartbeat-timeout.ts';

interface WorkerOpts {
  queue: TrainQueue;
  concurrency?: string;
  gpus?: string;
  backend?: BackendName;
  heartbeatTimeout?: string;
}

interface WorkerSettings {
  concurrency: number;
  backend: BackendName;
  heartbeatTimeoutMs?: number;
}

// A GPU worker trains on the GPU backend and takes at most one batch per GPU at a time. With --gpus its
// GPUs are named (method: command cells get them by slot) and it takes one batch per GPU by default.
export function workerSettings(
  opts: WorkerOpts,
  gpus: () => number,
  named?: readonly string[],
): WorkerSettings {
  const heartbeatTimeoutMs = heartbeatTimeoutSetting(opts.heartbeatTimeout);
  const withHeartbeat = (s: WorkerSettings) =>
    heartbeatTimeoutMs === undefined ? s : { ...s, heartbeatTimeoutMs };
  const requested = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) {
    throw new BadInputError(`--concurrency must be a whole number >= 1, got '${opts.concurrency}'`);
  }
  if (named !== undefined) {
    const backend = backendSetting(opts.backend);
    return withHeartbeat({ concurrency: requested ?? named.length, backend });
  }
  if (opts.queue === 'train-gpu') {
    if (opts.backend && opts.backend !== 'auto' && opts.backend !== 'node-gpu') {
      throw new BadInputError(
        `--backend ${opts.backend} cannot serve queue train-gpu: it trains on node-gpu`,
      );
    }
    const available = gpus();
    if (available === 0) {
      throw new Error(
        'queue train-gpu needs a GPU, but nvidia-smi lists none (set PHASESWEEP_GPUS to override)',
      );
    }
    return withHeartbeat({ concurrency: Math.min(requested ?? available, available), backend: 'node-gpu' });
  }
  const backend = backendSetting(opts.backend);
  // Each batch trains in its own thread: one per core keeps the cores busy.
  return withHeartbeat({ concurrency: requested ?? availableParallelism(), backend });
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('pull sweep work from Temporal: workflows, bookkeeping and trainBatch on one training queue')
    .addHelpText(
      'after',
      '\nExamples:\n  $ phasesweep worker --queue train-cpu --concurrency 2\n  $ DATABASE_URL=postgres://... TEMPORAL_ADDRESS=temporal:7233 phasesweep worker --queue train-gpu\n  $ phasesweep worker --queue train-gpu --gpus all',
    )
    .addOption(new Option('--queue <queue>', 'training queue').choices(TRAIN_QUEUES).default('train-cpu'))
    .option(
      '--concurrency <n>',
      'batches trained at once (default: one per core; train-gpu: at most the GPU count)',
    )
    .addOption(
      new Option('--backend <backend>', `training backend (default ${BACKEND_ENV} or auto)`).choices(
        BACKEND_NAMES,
      ),
    )
    .option(
      '--gpus <which>',
      'GPUs for method: command cells, one cell per slot of resources.gpus GPUs with CUDA_VISIBLE_DEVICES set to their UUIDs: all, a count, or UUIDs (GPU-...,GPU-...); found with nvidia-smi -L, or PHASESWEEP_GPUS (UUIDs) where there is none',
    )
    .option(
      '--heartbeat-timeout <duration>',
      `how long a batch may go without a heartbeat before Temporal retries it elsewhere, for sweeps whose spec sets no resources.heartbeat_timeout and that this worker registers (e.g. 20s; default ${HEARTBEAT_TIMEOUT_ENV} or 60s)`,
    )
    .action(async (opts: WorkerOpts) => {
      const { gpuCount } = await import('../../workers/gpu-count.ts');
      const { discoverGpus } = await import('../../workers/command/gpu-discovery.ts');
      const named = opts.gpus === undefined ? undefined : await discoverGpus(opts.gpus);
      const settings = workerSettings(opts, () => gpuCount(), named);
      const { resolveEndpoints } = await import('../../infra/local/endpoints.ts');
      const { startSweepWorker } = await import('../../workers/sweep-worker.ts');
      const endpoints = await resolveEndpoints();
      const worker = await startSweepWorker({
        databaseUrl: endpoints.databaseUrl,
        temporalAddress: endpoints.temporalAddress,
        namespace: endpoints.namespace,
        queue: opts.queue,
        ...settings,
        gpus: named,
        log: (line) => console.error(line),
      });
      console.error('ready (SIGINT/SIGTERM stop it gracefully)');
      // The Temporal runtime turns SIGINT/SIGTERM into a graceful shutdown of both workers.
      await worker.run();
      console.error(`worker ${worker.workerId} stopped`);
    });
}
