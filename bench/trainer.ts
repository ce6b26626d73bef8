// Trainer benchmark (issue 3): the default supervised grid of paper-spec 6.1, one cell alone, and the
// SimCLR grid of 6.3. Prints tables and writes JSON (--out FILE). Figures, not assertions.
// Each grid also runs once more on one thread in this process with a phase clock (data, pre-training,
// training, evaluation), and the CPU's cost for float32 subnormals is measured first.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  METHOD,
  emptyPhaseTimes,
  initBackend,
  PHASES,
  subnormalSlowdown,
  parseCellParams,
  trainCells,
  type BackendName,
  type CellParams,
  type CellResult,
  type PhaseTimes,
} from '../trainer/index.ts';
import { FUSED_MULTIPLY_ADD } from '../trainer/simd.ts';
import {
  alternate,
  describe,
  describeAgreement,
  jaxVersion,
  type Comparison,
  type JaxGrid,
  type Timing,
} from './jax-comparison.ts';
import { N0S_63, NS_61, simclrGrid, SNRS_61, SNRS_63, supervisedGrid } from './grids.ts';
import { simdPeak } from './simd-peak.ts';
import { startedPool, trainOnWorkerPool } from './worker-pool.ts';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    threads: { type: 'string', default: '2' },
    backend: { type: 'string' },
    'skip-simclr': { type: 'boolean', default: false },
    'skip-phases': { type: 'boolean', default: false },
    python: { type: 'string', default: process.env.PYTHON ?? 'python3' },
    rounds: { type: 'string', default: '2' },
  },
});
const threads = Number(args.threads);
const backend = args.backend as BackendName | undefined;

const SNRS = SNRS_61;
const NS = NS_61;
// paper-spec 6.1, CALIBRATED (numpy float64): mean test error for these rows
const SPEC_61: Record<number, number[]> = {
  4: [0.49, 0.49, 0.49, 0.49, 0.48, 0.44, 0.35, 0.26, 0.0, 0.0],
  16: [0.5, 0.5, 0.5, 0.5, 0.5, 0.47, 0.11, 0.0, 0.0, 0.0],
  64: [0.48, 0.48, 0.48, 0.48, 0.48, 0.24, 0.0, 0.0, 0.0, 0.0],
  256: [0.52, 0.52, 0.52, 0.04, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
};

/** paper-spec 7: 16 m n d per supervised step (P = 2) */
const supervisedFlops = (c: CellParams) => 16 * c.m * c.n_labels * c.d * c.steps;
/**
 * The Gram form's product, dense: Z -= C G is 2 (2m) n^2 per step (what the JAX program computes;
 * ours skips the about half of C that the ReLU zeroes). The figure to hold against the SIMD peak.
 */
const gramFlops = (c: CellParams) => 4 * c.m * c.n_labels ** 2 * c.steps;

function mean(values: (number | null)[]): number {
  const finite = values.filter((v): v is number => v !== null);
  return finite.reduce((a, b) => a + b, 0) / finite.length;
}

// CPU seconds (user + sys, all threads of this process) next to wall seconds: other processes on a
// loaded machine stretch wall time, not the CPU time spent here.
async function timed<T>(f: () => Promise<T>): Promise<[T, Timing]> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const out = await f();
  const c = process.cpuUsage(c0);
  return [out, { seconds: (performance.now() - t0) / 1000, cpu_seconds: (c.user + c.system) / 1e6 }];
}
const load = () => loadavg()[0].toFixed(1);
const loadBefore = load();
const gflops = (s: number) => s.toFixed(1);

const used = await initBackend(backend);
// The machine's float32 peak for wasm SIMD, measured before anything else runs.
const peak = await simdPeak();
// A worker starts its training threads once, at start-up; like `import jax` on the JAX side, their
// start (a thread, the trainer's modules, the backend) is timed apart from the grids.
const startPool = () => startedPool(backend, threads);
const [firstPool, poolStart] = await timed(async () => (threads > 1 ? startPool() : null));
await firstPool?.close();

/**
 * The cells on a pool started for this run only (fresh threads: no pre-training cached by an earlier
 * run), timed from its first batch; with one thread, on this thread.
 */
async function timedRun(cells: CellParams[]): Promise<[CellResult[], Timing]> {
  if (threads === 1) return timed(() => trainCells(cells, { backend }));
  const pool = await startPool();
  try {
    return await timed(() => trainOnWorkerPool(cells, backend, threads, pool));
  } finally {
    await pool.close();
  }
}

const jax = await jaxVersion(args.python);
const rounds = Math.max(1, Number(args.rounds));

/** Ours against the JAX program on the same grid, alternating, where JAX is installed. */
async function compare(jaxGrid: JaxGrid, first: Timing, cells: CellParams[]): Promise<Comparison | null> {
  if ('missing' in jax) {
    console.log(`JAX comparison skipped: ${jax.missing} (pip install jax; --python PATH or env PYTHON)`);
    return null;
  }
  const comparison = await alternate(
    args.python,
    jaxGrid,
    rounds,
    first,
    async () => (await timedRun(cells))[1],
  );
  console.log(describe(comparison));
  return comparison;
}

const slowdown = subnormalSlowdown();
const flushVerdict =
  slowdown < 1.5
    ? 'handled at full speed'
    : 'not flushed by the hardware: the trainer flushes tiny coefficients itself (trainer/flush.ts)';

/** The cells once more on one thread with a phase clock, in seconds per phase, and its CPU seconds. */
async function phaseBreakdown(
  cells: CellParams[],
): Promise<{ seconds: PhaseTimes; cpu_seconds: number } | null> {
  if (args['skip-phases']) return null;
  const times = emptyPhaseTimes();
  const c0 = process.cpuUsage();
  await trainCells(cells, { backend, phaseTimes: times });
  const c = process.cpuUsage(c0);
  for (const p of PHASES) times[p] /= 1000;
  return { seconds: times, cpu_seconds: (c.user + c.system) / 1e6 };
}
function printPhases(breakdown: { seconds: PhaseTimes; cpu_seconds: number } | null): void {
  if (breakdown === null) return;
  const parts = PHASES.filter((p) => breakdown.seconds[p] > 0).map(
    (p) => `${p} ${breakdown.seconds[p].toFixed(2)} s`,
  );
  console.log(`phases, 1 thread: ${parts.join(', ')}; ${breakdown.cpu_seconds.toFixed(1)} CPU s`);
}

// 1. The 140-cell supervised grid.
const grid = supervisedGrid();
const [gridResults, gridTiming] = await timedRun(grid);
const gridSeconds = gridTiming.seconds;
const phase = NS.flatMap((n) =>
  SNRS.map((snr) => ({
    n,
    snr: Number(snr.toFixed(4)),
    mean_test_error: mean(
      grid.flatMap((c, i) => (c.n_labels === n && c.snr === snr ? [gridResults[i].test_error] : [])),
    ),
  })),
);
const errAt = (n: number, j: number) =>
  phase.find((p) => p.n === n && p.snr === Number(SNRS[j].toFixed(4)))!.mean_test_error;
const boundary = NS.map((n) => SNRS.find((_, j) => errAt(n, j) < 0.25) ?? null);
const diffs = Object.entries(SPEC_61).flatMap(([n, row]) =>
  row.map((v, j) => Math.abs(errAt(Number(n), j) - v)),
);
const gflop = grid.reduce((s, c) => s + supervisedFlops(c), 0) / 1e9;
const gramGflop = grid.reduce((s, c) => s + gramFlops(c), 0) / 1e9;

const gridCpu = gridTiming.cpu_seconds;
const gridPhases = await phaseBreakdown(grid);
console.log(
  `backend ${used}, ${threads} thread(s), ${cpus().length} cores (${cpus()[0]?.model}), load average ${loadBefore} before the run`,
);
console.log(
  `float32 wasm SIMD peak, ${peak.cores} cores at once: ${gflops(peak.plain)} GFLOP/s with multiply and add, ${peak.fused === null ? 'no fused multiply-add (relaxed SIMD unavailable)' : `${gflops(peak.fused)} with fused multiply-add`}; the supervised kernel uses ${FUSED_MULTIPLY_ADD ? 'fused multiply-add' : 'multiply and add'}`,
);
if (threads > 1)
  console.log(
    `training threads started in ${poolStart.seconds.toFixed(2)} s, ${poolStart.cpu_seconds.toFixed(1)} CPU s (not in the times below)`,
  );
console.log(
  `float32 subnormal operands: ${slowdown.toFixed(1)}x the time of normal ones in the SIMD kernel, ${flushVerdict}`,
);
const peakInUse = (FUSED_MULTIPLY_ADD ? peak.fused : null) ?? peak.plain;
console.log(
  `\nSupervised grid of spec 6.1: ${grid.length} cells in ${gridSeconds.toFixed(2)} s, ${gflops(gflop / gridSeconds)} GFLOP/s by spec 7's count, ${gflops(gramGflop / gridSeconds)} GFLOP/s of the Gram form's dense product against the measured peak ${gflops(peakInUse)}; ${gridCpu.toFixed(1)} CPU s`,
);
printPhases(gridPhases);
console.log(`n \\ SNR ${SNRS.map((s) => s.toFixed(2).padStart(5)).join(' ')}`);
for (const n of NS)
  console.log(`${String(n).padStart(7)} ${SNRS.map((_, j) => errAt(n, j).toFixed(2).padStart(5)).join(' ')}`);
console.log(`boundary SNR*(n) (first error < 0.25): ${boundary.map((b) => b?.toFixed(2)).join(', ')}`);
console.log(
  `max |difference| to the spec 6.1 table: ${Math.max(...diffs).toFixed(2)}; cells off by > 0.1: ${diffs.filter((d) => d > 0.1).length} of ${diffs.length}`,
);
console.log(
  `diverged: ${gridResults.filter((r) => r.diverged).length}, max train loss ${Math.max(...gridResults.map((r) => r.train_loss ?? Infinity)).toExponential(1)}`,
);
const gridJax = await compare(METHOD.supervised, gridTiming, grid);
if (gridJax) console.log(describeAgreement(phase, gridJax.jax.at(-1)!.table));

// 2. One cell alone (the batching gain).
const single = parseCellParams({ n_labels: 64, snr: 0.36, seed: 0 });
const [, { seconds: singleSeconds }] = await timed(() => trainCells([single], { backend }));
console.log(
  `\nOne cell alone (n=64, SNR 0.36): ${singleSeconds.toFixed(2)} s; in the grid a cell costs ${(gridSeconds / grid.length).toFixed(3)} s`,
);

// 3. The SimCLR grid of spec 6.3 (T_0 = 100 as in its table), with supervised-from-scratch at n = 16.
let simclr: Record<string, unknown> | null = null;
if (!args['skip-simclr']) {
  const n0s = N0S_63;
  const snrs = SNRS_63;
  const { simclr: cells, supervised: sup } = simclrGrid();
  const [results, simclrTiming] = await timedRun([...cells, ...sup]);
  const { seconds, cpu_seconds } = simclrTiming;
  const simclrPhases = await phaseBreakdown([...cells, ...sup]);
  const pick = (where: (c: CellParams) => boolean, metric: (r: CellResult) => number | null) =>
    mean([...cells, ...sup].flatMap((c, i) => (where(c) ? [metric(results[i])] : [])));
  const table = n0s.flatMap((n0) =>
    snrs.map((snr) => ({
      n_unlabeled: n0,
      snr,
      alignment: pick(
        (c) => c.method === METHOD.simclr && c.n_unlabeled === n0 && c.snr === snr,
        (r) => r.pretrain_alignment,
      ),
      error_n4: pick(
        (c) => c.method === METHOD.simclr && c.n_unlabeled === n0 && c.snr === snr && c.n_labels === 4,
        (r) => r.test_error,
      ),
      error_n16: pick(
        (c) => c.method === METHOD.simclr && c.n_unlabeled === n0 && c.snr === snr && c.n_labels === 16,
        (r) => r.test_error,
      ),
      supervised_n16: pick(
        (c) => c.method === METHOD.supervised && c.snr === snr,
        (r) => r.test_error,
      ),
    })),
  );
  console.log(
    `\nSimCLR grid of spec 6.3 (T_0 = 100): ${cells.length} + ${sup.length} supervised cells in ${seconds.toFixed(2)} s, ${cpu_seconds.toFixed(1)} CPU s`,
  );
  printPhases(simclrPhases);
  console.log('alignment / fine-tuned error n=4 / n=16 / supervised n=16');
  console.log(`n_0 \\ SNR ${snrs.map((s) => String(s).padEnd(19)).join(' ')}`);
  for (const n0 of n0s) {
    const row = table.filter((t) => t.n_unlabeled === n0);
    console.log(
      `${String(n0).padStart(9)} ${row
        .map((t) =>
          [t.alignment, t.error_n4, t.error_n16, t.supervised_n16]
            .map((v) => v.toFixed(2))
            .join('/')
            .padEnd(19),
        )
        .join(' ')}`,
    );
  }
  const simclrJax = await compare(METHOD.simclr, simclrTiming, [...cells, ...sup]);
  simclr = {
    cells: cells.length + sup.length,
    seconds,
    cpu_seconds,
    pretrain_steps: 100,
    phases_one_thread: simclrPhases,
    table,
    jax: simclrJax,
  };
}

const report = {
  machine: {
    cores: cpus().length,
    model: cpus()[0]?.model,
    subnormal_slowdown: slowdown,
    simd_peak_gflops: peak,
  },
  pool_start: threads > 1 ? poolStart : null,
  load_average: { before: Number(loadBefore), after: Number(load()) },
  backend: used,
  threads,
  cells: grid.length,
  seconds: gridSeconds,
  cpu_seconds: gridCpu,
  phases_one_thread: gridPhases,
  jax: gridJax,
  gflops: gflop / gridSeconds,
  gram_gflops: gramGflop / gridSeconds,
  gflop_total: gflop,
  phase,
  boundary: NS.map((n, i) => ({ n, snr_star: boundary[i] })),
  max_abs_diff_vs_spec: Math.max(...diffs),
  single_cell: { params: { n_labels: 64, snr: 0.36, seed: 0 }, seconds: singleSeconds },
  simclr,
};
if (args.out) {
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${args.out}`);
}
