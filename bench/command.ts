// bench:command: what running a user's program costs per cell. A no-op program (it answers the
// protocol at once), one process per cell and in persistent mode, against the built-in `noop` method,
// in the same run, the ways alternating round after round. Goals of issue 24 on 2 cores: >= 100
// cells/s one process per cell, >= 1,000 cells/s persistent.
// --level sweep (default): real sweeps on the embedded stack (bench/command-sweep.ts);
// --level engine: the command engine alone, without Temporal or Postgres (bench/command-engine.ts).
// Usage: npm run bench:command -- [--out FILE] [--level sweep|engine] [--ways WAY,...] [--cells N]
//        [--persistent-cells N] [--rounds N] [--concurrency N]
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ENGINE_WAYS, runEngine, type EngineRun } from './command-engine.ts';
import { runSweeps, SWEEP_WAYS, type SweepWayRun } from './command-sweep.ts';
import { startedPool } from './worker-pool.ts';

const LEVELS = ['sweep', 'engine'] as const;

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    level: { type: 'string', default: 'sweep' },
    // the ways to run, comma-separated (default: all of the level's)
    ways: { type: 'string' },
    // cells per run of one process per cell
    cells: { type: 'string', default: '1000' },
    // cells per run of the built-in noop and of persistent mode
    'persistent-cells': { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
    // cells at once: the worker's --concurrency (its default here: the cores), the engine's lanes and
    // the training threads it starts first, as a worker does
    concurrency: { type: 'string', default: String(cpus().length) },
  },
});
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const count = (name: 'cells' | 'persistent-cells' | 'rounds' | 'concurrency') => {
  const n = Number(values[name]);
  return Number.isInteger(n) && n >= 1
    ? n
    : fail(`--${name} must be a whole number >= 1, got '${values[name]}'`);
};
const level =
  LEVELS.find((l) => l === values.level) ?? fail(`--level must be sweep or engine, got '${values.level}'`);
const levelWays: readonly string[] = level === 'sweep' ? SWEEP_WAYS : ENGINE_WAYS;
const ways = (values.ways?.split(',') ?? levelWays).map(
  (way) =>
    levelWays.find((w) => w === way.trim()) ??
    fail(`--ways: '${way}' is not a way of --level ${level} (${levelWays.join(', ')})`),
);
const oneShotCells = count('cells');
const manyCells = count('persistent-cells');
const rounds = count('rounds');
const concurrency = count('concurrency');

// per way: cells/s and CPU seconds of every process involved, per run
type Run = {
  way: string;
  round: number;
  load: number;
  cells: number;
  cells_per_s: number;
  cpu: number;
  /** CPU seconds per process, at the sweep level */
  processes?: Record<string, number>;
};
const GOALS: Record<string, number> = {
  'one-shot': 100,
  launcher: 100,
  'in-process': 100,
  persistent: 1_000,
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

let runs: Run[];
let details: (EngineRun | SweepWayRun)[];
if (level === 'sweep') {
  const log = (run: SweepWayRun) => console.error(JSON.stringify(run));
  const sweeps = await runSweeps(
    rounds,
    SWEEP_WAYS.filter((way) => ways.includes(way)),
    (way) => (way === 'one-shot' ? oneShotCells : manyCells),
    concurrency,
    log,
  );
  details = sweeps;
  runs = sweeps.map((r) => ({
    ...r,
    cpu: r.cpu_s.worker + r.cpu_s.postgres + r.cpu_s.temporal,
    processes: r.cpu_s,
  }));
} else {
  const threads = await startedPool(undefined, concurrency);
  const engine: (EngineRun & { round: number; load: number })[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      // Reversed every other round, so that a change of load hits every way alike.
      const chosen = ENGINE_WAYS.filter((way) => ways.includes(way));
      const order = round % 2 ? chosen : [...chosen].reverse();
      for (const way of order) {
        const load = Number(loadavg()[0]!.toFixed(1));
        const cells = way === 'built-in' || way === 'persistent' ? manyCells : oneShotCells;
        const run = { round, load, ...(await runEngine(way, cells, concurrency, threads)) };
        engine.push(run);
        console.error(JSON.stringify(run));
      }
    }
  } finally {
    await threads.close();
  }
  details = engine;
  runs = engine.map((r) => ({ ...r, cpu: r.cpu_s }));
}

const summary = levelWays
  .filter((way) => ways.includes(way))
  .map((way) => {
    const mine = runs.filter((r) => r.way === way);
    const perCell = (cpu: (r: Run) => number) =>
      Number(median(mine.map((r) => (cpu(r) * 1000) / r.cells)).toFixed(2));
    const processes = Object.keys(mine[0]?.processes ?? {});
    return {
      way,
      median_cells_per_s: median(mine.map((r) => r.cells_per_s)),
      median_cpu_ms_per_cell: perCell((r) => r.cpu),
      // each process's CPU seconds per 1,000 cells (= ms per cell), medians over the runs
      ...(processes.length > 0 && {
        median_cpu_s_per_1000_cells: Object.fromEntries(
          processes.map((name) => [name, perCell((r) => r.processes![name]!)]),
        ),
      }),
      goal_cells_per_s: GOALS[way],
    };
  });
const builtIn = summary.find((s) => s.way === 'built-in');
const report = {
  level,
  machine: { cores: cpus().length, cpu: cpus()[0]?.model },
  concurrency,
  load: { first: runs[0]?.load, last: runs.at(-1)?.load },
  summary: summary.map((s) => ({
    ...s,
    // the built-in noop's rate over this way's, from the medians of the same run
    builtin_ratio: builtIn && Number((builtIn.median_cells_per_s / s.median_cells_per_s).toFixed(1)),
    goal_met: s.goal_cells_per_s === undefined ? undefined : s.median_cells_per_s >= s.goal_cells_per_s,
  })),
  runs: details,
};
console.log(JSON.stringify(report, null, 2));
if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
