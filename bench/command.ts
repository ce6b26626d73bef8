// bench:command: what running a user's program costs per cell. A no-op program (it answers the
// protocol at once), one process per cell and in persistent mode, against the built-in `noop` method,
// in the same run, the ways alternating round after round. Goals of issue 24 on 2 cores: >= 100
// cells/s one process per cell, >= 1,000 cells/s persistent.
// Usage: npm run bench:command -- [--out FILE] [--cells N] [--persistent-cells N] [--rounds N]
//        [--lanes N] [--threads N]
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ENGINE_WAYS, runEngine, type EngineRun } from './command-engine.ts';
import { startedPool } from './worker-pool.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    // one-shot cells per run (in-process and launcher)
    cells: { type: 'string', default: '1000' },
    // cells per run of the noop method and of persistent mode
    'persistent-cells': { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    // cells at once: a worker's slots
    lanes: { type: 'string', default: '2' },
    // training threads started first, as `phasesweep worker` does (its default --concurrency here)
    threads: { type: 'string', default: String(Math.max(2, cpus().length)) },
  },
});
const count = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number >= 1, got '${String(values[name])}'`);
    process.exit(2);
  }
  return n;
};
const oneShotCells = count('cells');
const manyCells = count('persistent-cells');
const rounds = count('rounds');
const laneCount = count('lanes');

const GOALS = { launcher: 100, 'in-process': 100, persistent: 1_000 } as const;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const threads = await startedPool(undefined, count('threads'));
const runs: (EngineRun & { round: number; load: number })[] = [];
try {
  for (let round = 1; round <= rounds; round++) {
    // Alternating, and in reverse every other round, so that a change of load hits every way alike.
    const order = round % 2 ? ENGINE_WAYS : [...ENGINE_WAYS].reverse();
    for (const way of order) {
      const load = Number(loadavg()[0]!.toFixed(1));
      const cells = way === 'built-in' || way === 'persistent' ? manyCells : oneShotCells;
      const run = { round, load, ...(await runEngine(way, cells, laneCount, threads)) };
      runs.push(run);
      console.error(JSON.stringify(run));
    }
  }
} finally {
  await threads.close();
}

const summary = ENGINE_WAYS.map((way) => {
  const mine = runs.filter((r) => r.way === way);
  const cpuPerCell = median(mine.map((r) => (r.cpu_s * 1000) / r.cells));
  return {
    way,
    median_cells_per_s: median(mine.map((r) => r.cells_per_s)),
    median_cpu_ms_per_cell: Number(cpuPerCell.toFixed(2)),
    median_worker_cpu_ms_per_cell: median(mine.map((r) => r.worker_cpu_ms_per_cell)),
    goal_cells_per_s: way === 'built-in' ? undefined : GOALS[way],
  };
});
const builtIn = summary.find((s) => s.way === 'built-in')!;
const report = {
  level: 'engine',
  machine: { cores: cpus().length, cpu: cpus()[0]?.model },
  lanes: laneCount,
  training_threads: count('threads'),
  load: { first: runs[0]?.load, last: runs.at(-1)?.load },
  summary: summary.map((s) => ({
    ...s,
    // the built-in noop's rate over this way's, from the medians of the same run
    builtin_ratio: Number((builtIn.median_cells_per_s / s.median_cells_per_s).toFixed(1)),
    goal_met: s.goal_cells_per_s === undefined ? undefined : s.median_cells_per_s >= s.goal_cells_per_s,
  })),
  runs,
};
console.log(JSON.stringify(report, null, 2));
if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
