// bench:command at the sweep level: real sweeps on one embedded stack, trained by one real `phasesweep
// worker` process (which starts its command launcher; bench/bench-worker.ts), the ways alternating
// round after round:
// - `built-in`: the noop method (examples/noop-20k.yaml's resources);
// - `one-shot`: the no-op program test/fixtures/command/noop.sh, one process per cell;
// - `persistent`: test/fixtures/command/noop-persistent.sh, one process per worker slot.
// Every round's cells are new (its own range of an axis), so nothing is a cache hit.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { loadSpecFile } from '../infra/spec-file.ts';
import { COMMAND_METHOD, METHOD } from '../trainer/index.ts';
import { timeSweep, withBenchWorker } from './bench-worker.ts';

export const SWEEP_WAYS = ['built-in', 'one-shot', 'persistent'] as const;
export type SweepWay = (typeof SWEEP_WAYS)[number];

export interface SweepWayRun {
  way: SweepWay;
  round: number;
  load: number;
  cells: number;
  seconds: number;
  cells_per_s: number;
  /**
   * CPU seconds over the sweep: the worker with its launcher and programs, of which the launcher and
   * programs alone; Postgres; Temporal
   */
  cpu_s: { worker: number; launcher: number; postgres: number; temporal: number };
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
  ways: readonly SweepWay[],
  cellsOf: (way: SweepWay) => number,
  concurrency: number,
  onRun: (run: SweepWayRun) => void,
): Promise<SweepWayRun[]> {
  const dir = await mkdtemp(join(tmpdir(), 'phasesweep-bench-command-'));
  const runs: SweepWayRun[] = [];
  try {
    await withBenchWorker('embedded', String(concurrency), async (bench) => {
      for (let round = 1; round <= rounds; round++) {
        // Reversed every other round, so that a change of load hits every way alike.
        const order = round % 2 ? ways : [...ways].reverse();
        for (const way of order) {
          const path = join(dir, `${way}-${round}.yaml`);
          await writeFile(path, stringify(specOf(way, round, cellsOf(way))));
          const { end, seconds, load, cpu } = await timeSweep(bench, await loadSpecFile(path));
          if (end.outcome !== 'finished' || end.summary.done !== end.summary.total || end.summary.cached > 0)
            throw new Error(`${way}: the sweep did not train every cell anew: ${JSON.stringify(end)}`);
          const run: SweepWayRun = {
            way,
            round,
            load: Number(load.toFixed(1)),
            cells: end.summary.total,
            seconds: Number(seconds.toFixed(2)),
            cells_per_s: Math.round(end.summary.total / seconds),
            cpu_s: {
              worker: cpu.worker,
              launcher: cpu.launcher,
              postgres: cpu.postgres,
              temporal: cpu.temporal,
            },
          };
          runs.push(run);
          onRun(run);
        }
      }
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return runs;
}
