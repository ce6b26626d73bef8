// bench:command at the engine level: the no-op program run cell after cell by the command engine
// (workers/command/), without Temporal or Postgres, in this process, which first starts and warms
// training threads as a worker does, so that it holds a worker's memory (what a fork copies). Ways:
// - `in-process`: runAttempt called here, so this process forks every program;
// - `launcher`: the same through the launcher process (workers/command/launcher.ts);
// - `persistent`: one no-op program per lane serving cell after cell, through the launcher;
// - `built-in`: the built-in noop method on the worker's training threads, the reference.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainingThreads } from '../activities/index.ts';
import { parseCellParams, METHOD } from '../trainer/index.ts';
import { CommandLauncher } from '../workers/command/launcher.ts';
import { runAttempt, type CellInput, type CommandRun } from '../workers/command/run-attempt.ts';
import { treeCpuSeconds } from './process-cpu.ts';
import { trainOnWorkerPool } from './worker-pool.ts';

export const ENGINE_WAYS = ['built-in', 'in-process', 'launcher', 'persistent'] as const;
export type EngineWay = (typeof ENGINE_WAYS)[number];

export interface EngineRun {
  way: EngineWay;
  cells: number;
  seconds: number;
  cells_per_s: number;
  /** this process and everything it started (training threads, launcher, programs) */
  cpu_s: number;
  /** this process alone: in a worker, the main thread's share, which Temporal and Postgres need too */
  worker_cpu_ms_per_cell: number;
  /** this process's resident memory when the run started */
  rss_mb: number;
}

const PROGRAMS = fileURLToPath(new URL('../test/fixtures/command/', import.meta.url));

const runOf = (program: string): CommandRun => ({
  argv: ['sh', program],
  cwd: PROGRAMS,
  env: {},
  metrics: ['loss'],
  timeoutMs: 60_000,
  graceMs: 1_000,
});

// user + system seconds of this process and its reaped children (/proc/self/stat fields 14-17): the
// programs it started itself are reaped by the time a run ends.
function ownCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / 100;
}

const selfCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

// `lanes` cells at once, each lane cell after cell, as a worker's slots run them.
async function lanes(count: number, cells: number, cell: (i: number, lane: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, lane) => {
      for (let i = next++; i < cells; i = next++) await cell(i, lane);
    }),
  );
}

function expectDone(kind: string, message: string): void {
  if (kind !== 'done') throw new Error(`a no-op cell ended ${kind}: ${message}`);
}

export async function runEngine(
  way: EngineWay,
  cells: number,
  laneCount: number,
  threads: TrainingThreads,
): Promise<EngineRun> {
  const dir = await mkdtemp(join(tmpdir(), 'phasesweep-bench-command-'));
  const launcher = new CommandLauncher({ stateDir: join(dir, 'state'), graceMs: 1_000 });
  const cellOf = (i: number): CellInput => ({
    cellKey: `cell-${i}`,
    params: { i },
    seed: i,
    attempt: 1,
    outDir: join(dir, 'out', String(i)),
  });
  const oneShot = runOf('noop.sh');
  const persistentRun = runOf('noop-persistent.sh');
  // The launcher's own start (a Node process with tsx, once per worker) is not part of the figure.
  if (way !== 'built-in' && way !== 'in-process') {
    const report = await launcher.runAttempt(oneShot, cellOf(-1), { attemptDir: join(dir, 'warm') });
    expectDone(report.outcome.kind, report.outcome.message);
  }
  const slots =
    way === 'persistent'
      ? Array.from({ length: laneCount }, (_, lane) =>
          launcher.persistent(persistentRun, { slotDir: join(dir, `slot-${lane}`) }),
        )
      : [];
  const noopCells = Array.from({ length: cells }, (_, seed) =>
    parseCellParams({ method: METHOD.noop, snr: 0.5, seed }),
  );
  const launcherCpu = () => (launcher.pid === undefined ? 0 : treeCpuSeconds(launcher.pid));
  const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
  const cpu0 = ownCpuSeconds() + launcherCpu();
  const self0 = selfCpuSeconds();
  const t0 = performance.now();
  if (way === 'built-in') await trainOnWorkerPool(noopCells, undefined, laneCount, threads);
  else
    await lanes(laneCount, cells, async (i, lane) => {
      const cell = cellOf(i);
      const attemptDir = join(dir, 'attempts', String(i));
      const report =
        way === 'in-process'
          ? await runAttempt(oneShot, cell, { attemptDir })
          : way === 'launcher'
            ? await launcher.runAttempt(oneShot, cell, { attemptDir })
            : await slots[lane]!.runCell(cell);
      expectDone(report.outcome.kind, report.outcome.message);
    });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = ownCpuSeconds() + launcherCpu() - cpu0;
  const selfCpu = selfCpuSeconds() - self0;
  await Promise.all(slots.map((slot) => slot.close()));
  await launcher.close();
  await rm(dir, { recursive: true, force: true });
  return {
    way,
    cells,
    seconds: Number(seconds.toFixed(2)),
    cells_per_s: Math.round(cells / seconds),
    cpu_s: Number(cpu.toFixed(2)),
    worker_cpu_ms_per_cell: Number(((selfCpu * 1000) / cells).toFixed(2)),
    rss_mb: rss,
  };
}
