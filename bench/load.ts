// Load benchmark: `noop` sweeps (no training) of two sizes, each on a fresh embedded stack with one
// real `phasesweep worker` process, alternating when repeated. Checks that each completes, that every
// workflow run's history stays bounded (continue-as-new) and that `phasesweep verify` passes; reports
// per run the time, CPU seconds per process, the time of each phase, worker peak memory and history
// length, and per size the median cells/s, so that the larger sweep's cost per cell can be compared
// with the smaller one's.
// With `--target cluster`, the stacks are the four-service Temporal cluster of the cluster tests
// instead of the dev server.
// Usage: npm run bench:load -- [--out FILE] [--cells N] [--compare-cells N] [--rounds N]
//   [--concurrency N] [--batch-size N] [--target embedded|cluster]
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { parseSpecText } from '../sweep/spec.ts';
import { METHOD } from '../trainer/index.ts';
import { runPhasesweep } from '../test/helpers/stack.ts';
import { withTimedSweep } from './noop-sweep.ts';
import { TARGETS, type Target } from './timed-stack.ts';

// Temporal warns at 10,240 events per run and refuses at 51,200.
const HISTORY_WARN = 10_240;
// The goal (issue 25): the larger sweep's cells/s within 20% of the smaller's, its worker peak memory
// within 10%.
const RATE_TOLERANCE = 0.2;
const MEMORY_TOLERANCE = 0.1;

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    cells: { type: 'string', default: '100000' },
    'compare-cells': { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '100' },
    target: { type: 'string', default: 'embedded' },
  },
});
const target = values.target as Target;
if (!TARGETS.includes(target)) {
  console.error(`bench:load: --target must be one of ${TARGETS.join(', ')}, got ${values.target}`);
  process.exit(2);
}

function wholeNumber(name: string, min: number): number {
  const n = Number(values[name as keyof typeof values]);
  if (!Number.isSafeInteger(n) || n < min) {
    console.error(
      `bench:load: --${name} must be a whole number >= ${min}, got ${values[name as keyof typeof values]}`,
    );
    process.exit(2);
  }
  return n;
}

const cells = wholeNumber('cells', 100);
const compareCells = wholeNumber('compare-cells', 0);
const rounds = wholeNumber('rounds', 1);
const batchSize = wholeNumber('batch-size', 1);
const sizes = compareCells > 0 && compareCells !== cells ? [compareCells, cells] : [cells];

// 100 SNRs x enough seeds.
function specFor(wanted: number) {
  return parseSpecText(
    stringify({
      name: `load-${wanted}`,
      method: METHOD.noop,
      grid: { snr: { linspace: [0.01, 1.0, 100] }, seed: { range: [0, Math.ceil(wanted / 100)] } },
      resources: { queue: 'train-cpu', batch_size: batchSize, max_in_flight: 16 },
      tags: { purpose: 'load benchmark' },
    }),
    'load.yaml',
  );
}

async function measure(wanted: number) {
  return withTimedSweep(
    specFor(wanted),
    values.concurrency!,
    async (run) => {
      if (run.status !== 'completed') throw new Error(`the sweep ended ${run.status}`);
      const history = run.historyPerRun;
      const t1 = performance.now();
      const verify = await runPhasesweep(['verify', run.sweepId, '--json'], run.env, 600_000);
      const verifySeconds = (performance.now() - t1) / 1000;
      const verified = JSON.parse(verify.stdout) as { ok: boolean; counts: { done: number } };
      return {
        cells: run.cells,
        seconds: Number(run.seconds.toFixed(1)),
        cells_per_s: Math.round(run.cells / run.seconds),
        worker_peak_rss_mb: run.workerPeakMb,
        worker_peak_rss_mb_registered: run.workerPeakMbRegistering,
        cpu_seconds: run.cpuSeconds,
        cpu_seconds_by_phase: run.cpuSecondsByPhase,
        phases: run.phases,
        workflow_runs: history.length,
        history_length_per_run: history,
        history_length_max: Math.max(...history),
        history_bounded: Math.max(...history) < HISTORY_WARN,
        verify_ok: verify.code === 0 && verified.ok && verified.counts.done === run.cells,
        verify_seconds: Number(verifySeconds.toFixed(1)),
        load_average_at_start: Number(run.load.toFixed(1)),
        load_average_at_end: Number(run.loadAtEnd.toFixed(1)),
      };
    },
    target,
  );
}

type Run = Awaited<ReturnType<typeof measure>>;
const runs: Run[] = [];
for (let round = 0; round < rounds; round++) {
  // Alternating, and the order swapped every other round, so that neither size always runs first.
  for (const wanted of round % 2 === 0 ? sizes : [...sizes].reverse()) {
    const run = await measure(wanted);
    console.log(JSON.stringify(run));
    runs.push(run);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const bySize = sizes.map((size) => {
  const own = runs.filter((r) => r.cells === size);
  return {
    cells: size,
    runs: own.length,
    cells_per_s_median: Math.round(median(own.map((r) => r.cells_per_s))),
    worker_peak_rss_mb_max: Math.max(...own.map((r) => r.worker_peak_rss_mb)),
    cpu_seconds_per_1000_cells_median: Number(
      median(
        own.map((r) => (1000 * Object.values(r.cpu_seconds).reduce((a, b) => a + b, 0)) / r.cells),
      ).toFixed(2),
    ),
  };
});
const [small, large] = bySize;
const comparison = large && {
  cells_per_s_ratio: Number((large.cells_per_s_median / small.cells_per_s_median).toFixed(2)),
  worker_peak_rss_ratio: Number((large.worker_peak_rss_mb_max / small.worker_peak_rss_mb_max).toFixed(2)),
  cpu_per_cell_ratio: Number(
    (large.cpu_seconds_per_1000_cells_median / small.cpu_seconds_per_1000_cells_median).toFixed(2),
  ),
};
const report = {
  sizes: bySize,
  comparison,
  goal_met: comparison
    ? comparison.cells_per_s_ratio >= 1 - RATE_TOLERANCE &&
      Math.abs(comparison.worker_peak_rss_ratio - 1) <= MEMORY_TOLERANCE
    : undefined,
  runs,
  batch_size: batchSize,
  max_in_flight: 16,
  worker_concurrency: Number(values.concurrency),
  target,
  machine: { cores: cpus().length, cpu: cpus()[0]?.model },
};
console.log(JSON.stringify(report, null, 2));
if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
if (runs.some((r) => !r.history_bounded || !r.verify_ok)) process.exitCode = 1;
