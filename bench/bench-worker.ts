// What every sweep benchmark shares: a fresh stack (bench/timed-stack.ts), one real `phasesweep worker`
// process on it, a client, and sweeps started through that client, awaited across continue-as-new and
// timed: wall seconds and the CPU seconds every process spent meanwhile.
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { awaitSweep, type SweepEnd } from '../client/await-sweep.ts';
import { connectClient } from '../client/connect.ts';
import { startSweep, type StartedSweep } from '../client/start-sweep.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import { ownCpuSeconds, treeCpuSeconds } from './process-cpu.ts';
import { startTimedStack, type Target, type TimedStack } from './timed-stack.ts';

export interface CpuSeconds {
  /** the worker's process tree: the worker with its command launcher and the programs it runs */
  worker: number;
  /** of the worker's tree, the launcher and its programs */
  launcher: number;
  postgres: number;
  temporal: number;
  /** this process: the benchmark's client */
  client: number;
}

export interface BenchWorker {
  stack: TimedStack;
  worker: ChildProcess;
  client: Client;
  cpuNow(): CpuSeconds;
}

export interface TimedSweep<D> {
  started: StartedSweep;
  end: SweepEnd;
  startedAt: Date;
  seconds: number;
  /** 1-minute load average when the sweep started */
  load: number;
  cpu: CpuSeconds;
  /** the CPU seconds so far at the sweep's start and at its end */
  cpuAt: { start: CpuSeconds; end: CpuSeconds };
  /** what `during` returned */
  during: D;
}

// Starts the stack and the worker, hands them to `use`, and tears both down whatever `use` did.
export async function withBenchWorker<T>(
  target: Target,
  concurrency: string,
  use: (bench: BenchWorker) => Promise<T>,
): Promise<T> {
  const stack = await startTimedStack(target);
  const bin = fileURLToPath(new URL('../bin/phasesweep.js', import.meta.url));
  const worker = spawn(process.execPath, [bin, 'worker', '--concurrency', concurrency], {
    env: { ...process.env, ...stack.env },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let err = '';
      worker.stderr!.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        if (err.includes('ready')) resolve();
      });
      worker.on('exit', (code) => reject(new Error(`worker exited (${code}):\n${err}`)));
    });
    const { client, close } = await connectClient(stack.temporalAddress, stack.namespace);
    try {
      const cpuNow = (): CpuSeconds => {
        const tree = treeCpuSeconds(worker.pid!);
        const usage = process.cpuUsage();
        return {
          worker: tree,
          launcher: tree - ownCpuSeconds(worker.pid!),
          postgres: stack.postgresCpuSeconds(),
          temporal: stack.temporalCpuSeconds(),
          client: (usage.user + usage.system) / 1e6,
        };
      };
      return await use({ stack, worker, client, cpuNow });
    } finally {
      await close();
    }
  } finally {
    if (worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
    await stack.stop();
  }
}

// One sweep, from its start to its end; `during` runs beside it (e.g. to see it registered).
export async function timeSweep<D = undefined>(
  { client, cpuNow }: BenchWorker,
  spec: SweepSpec,
  during?: (started: StartedSweep) => Promise<D>,
): Promise<TimedSweep<D>> {
  const load = loadavg()[0]!;
  const cpu0 = cpuNow();
  const t0 = performance.now();
  const startedAt = new Date();
  const started = await startSweep(client, spec);
  const beside = during?.(started);
  // awaited below, once the sweep has ended
  beside?.catch(() => undefined);
  const end = await awaitSweep(started.handle);
  const result = (await beside) as D;
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuNow();
  return {
    started,
    end,
    startedAt,
    seconds,
    load,
    cpu: cpuBetween(cpu0, cpu1),
    cpuAt: { start: cpu0, end: cpu1 },
    during: result,
  };
}

export function cpuBetween(a: CpuSeconds, b: CpuSeconds): CpuSeconds {
  const round = (x: number) => Number(x.toFixed(1));
  return {
    worker: round(b.worker - a.worker),
    launcher: round(b.launcher - a.launcher),
    postgres: round(b.postgres - a.postgres),
    temporal: round(b.temporal - a.temporal),
    client: round(b.client - a.client),
  };
}
