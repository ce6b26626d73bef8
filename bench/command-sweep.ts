// bench:command at the sweep level: real sweeps on one embedded stack, trained by one real `phasesweep
// worker` process (which starts its command launcher), the ways alternating round after round:
// - `built-in`: the noop method (examples/noop-20k.yaml's resources);
// - `one-shot`: the no-op program test/fixtures/command/noop.sh, one process per cell;
// - `persistent`: test/fixtures/command/noop-persistent.sh, one process per worker slot.
// Every round's cells are new (its own range of an axis), so nothing is a cache hit.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { awaitSweep } from '../client/await-sweep.ts';
import { connectClient } from '../client/connect.ts';
import { startSweep } from '../client/start-sweep.ts';
import { loadSpecFile } from '../infra/spec-file.ts';
import { readState } from '../infra/local/state.ts';
import { COMMAND_METHOD, METHOD } from '../trainer/index.ts';
import { startTestStack } from '../test/helpers/stack.ts';
import { treeCpuSeconds } from './process-cpu.ts';

export const SWEEP_WAYS = ['built-in', 'one-shot', 'persistent'] as const;
export type SweepWay = (typeof SWEEP_WAYS)[number];

export interface SweepWayRun {
  way: SweepWay;
  round: number;
  load: number;
  cells: number;
  seconds: number;
  cells_per_s: number;
  /** CPU seconds over the sweep: the worker with its launcher and programs, Postgres, Temporal */
  cpu_s: { worker: number; postgres: number; temporal: number };
}

const PROGRAMS = fileURLToPath(new URL('../test/fixtures/command/', import.meta.url));
const RESOURCES = { queue: 'train-cpu', batch_size: 100, max_in_flight: 16 };

function specOf(way: SweepWay, round: number, cells: number): Record<string, unknown> {
  const range = { range: [round * cells, (round + 1) * cells] };
  if (way === 'built-in')
    return {
      name: `bench-command-${way}`,
      method: METHOD.noop,
      grid: { snr: [0.5], seed: range },
      resources: RESOURCES,
    };
  const persistent = way === 'persistent';
  const program = persistent ? 'noop-persistent.sh' : 'noop.sh';
  return {
    name: `bench-command-${way}`,
    method: COMMAND_METHOD,
    command: { argv: ['sh', program], cwd: PROGRAMS, metrics: ['loss'], code: [program], persistent },
    grid: { i: range },
    resources: RESOURCES,
  };
}

export async function runSweeps(
  rounds: number,
  cellsOf: (way: SweepWay) => number,
  concurrency: number,
  onRun: (run: SweepWayRun) => void,
): Promise<SweepWayRun[]> {
  const stack = await startTestStack();
  const dir = await mkdtemp(join(tmpdir(), 'phasesweep-bench-command-'));
  const env = {
    PHASESWEEP_HOME: stack.home,
    DATABASE_URL: stack.endpoints.databaseUrl,
    TEMPORAL_ADDRESS: stack.endpoints.temporalAddress,
    TEMPORAL_NAMESPACE: stack.endpoints.namespace,
  };
  const bin = fileURLToPath(new URL('../bin/phasesweep.js', import.meta.url));
  const worker = spawn(process.execPath, [bin, 'worker', '--concurrency', String(concurrency)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const runs: SweepWayRun[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let err = '';
      worker.stderr!.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        if (err.includes('ready')) resolve();
      });
      worker.on('exit', (code) => reject(new Error(`worker exited (${code}):\n${err}`)));
    });
    const { client, close } = await connectClient(stack.endpoints.temporalAddress, stack.endpoints.namespace);
    const { postgres, temporal } = readState(stack.home);
    const cpuNow = () => ({
      worker: treeCpuSeconds(worker.pid!),
      postgres: treeCpuSeconds(postgres!.pid!),
      temporal: treeCpuSeconds(temporal!.pid!),
    });
    try {
      for (let round = 1; round <= rounds; round++) {
        // Reversed every other round, so that a change of load hits every way alike.
        const order = round % 2 ? SWEEP_WAYS : [...SWEEP_WAYS].reverse();
        for (const way of order) {
          const path = join(dir, `${way}-${round}.yaml`);
          await writeFile(path, stringify(specOf(way, round, cellsOf(way))));
          const spec = await loadSpecFile(path);
          const load = Number(loadavg()[0]!.toFixed(1));
          const cpu0 = cpuNow();
          const t0 = performance.now();
          const end = await awaitSweep((await startSweep(client, spec)).handle);
          const seconds = (performance.now() - t0) / 1000;
          const cpu1 = cpuNow();
          if (end.outcome !== 'finished' || end.summary.done !== end.summary.total || end.summary.cached > 0)
            throw new Error(`${way}: the sweep did not train every cell anew: ${JSON.stringify(end)}`);
          const round1 = (x: number) => Number(x.toFixed(1));
          const run: SweepWayRun = {
            way,
            round,
            load,
            cells: end.summary.total,
            seconds: Number(seconds.toFixed(2)),
            cells_per_s: Math.round(end.summary.total / seconds),
            cpu_s: {
              worker: round1(cpu1.worker - cpu0.worker),
              postgres: round1(cpu1.postgres - cpu0.postgres),
              temporal: round1(cpu1.temporal - cpu0.temporal),
            },
          };
          runs.push(run);
          onRun(run);
        }
      }
    } finally {
      await close();
    }
  } finally {
    if (worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return runs;
}
