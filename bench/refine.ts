// refine: against a dense grid, end to end, each sweep on a fresh embedded stack with one real
// `phasesweep worker` (bench/noop-sweep.ts). Three measurements (--measure):
// - dense (default): examples/refine-supervised.yaml (4 coarse SNRs, bisected) and the same rows on 60
//   SNRs in geomspace(0.1, 1.0) (840 cells), alternating which goes first. Per row: both crossings,
//   whether the refined one lies within one dense-grid step (in log10 SNR) of the dense one, and the
//   cells each used; per program: wall and worker CPU seconds and the load. Repetition k uses seeds 2k
//   and 2k + 1 for both programs.
// - seeds: the example with refine.seeds, against every cell of its rows with the seeds the crossing's
//   cells reached (bench/refine-seeds.ts).
// - trace: the diagram traced from a coarse start against the dense grid at the same resolution
//   (bench/refine-trace.ts); --scale small runs a reduced version of both. --dense-only --dense-out FILE
//   runs and stores the dense grid alone (--dense-seeds per cell); --dense-from FILE compares a traced
//   run with that stored dense run instead of running the dense grid again. Its report says where the
//   traced run's cells went (cells_went_to) and ends with the per-row table as RESULTS.md has it.
// Usage: npm run bench:refine -- [--measure dense|seeds|trace] [--scale full|small] [--out FILE]
//   [--reps N] [--concurrency N] [--max-seeds N] [--ci-width W] [--max-rounds N] [--traced-only]
//   [--dense-only --dense-out FILE [--dense-seeds N]] [--dense-from FILE]
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { planRound, type RefinedSpec } from '../sweep/refine-round.ts';
import { type SweepSpec } from '../sweep/spec.ts';
import { loadSpecFile } from '../infra/spec-file.ts';
import { sweepBoundaries } from '../store/boundaries.ts';
import { createPool } from '../store/pool.ts';
import { refineObservations } from '../store/refine-cells.ts';
import { withTimedSweep } from './noop-sweep.ts';
import { measureSeeds } from './refine-seeds.ts';
import { measureTrace, runDense as runDenseTrace, TRACE_SCALES, type DenseRun } from './refine-trace.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    reps: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '2' },
    measure: { type: 'string', default: 'dense' },
    scale: { type: 'string', default: 'full' },
    'max-seeds': { type: 'string', default: '32' },
    'ci-width': { type: 'string', default: '0.02' },
    'max-rounds': { type: 'string', default: '16' },
    'traced-only': { type: 'boolean', default: false },
    'dense-only': { type: 'boolean', default: false },
    'dense-out': { type: 'string' },
    'dense-from': { type: 'string' },
    'dense-seeds': { type: 'string', default: '2' },
  },
});
const MEASURES = ['dense', 'seeds', 'trace'] as const;
const SCALES = ['full', 'small'] as const;
const measure = values.measure as (typeof MEASURES)[number];
const scale = values.scale as (typeof SCALES)[number];
if (!MEASURES.includes(measure) || !SCALES.includes(scale)) {
  console.error(`--measure takes ${MEASURES.join(', ')}; --scale takes ${SCALES.join(', ')}`);
  process.exit(2);
}

const DENSE_POINTS = 60;
const refinedBase = (await loadSpecFile(
  fileURLToPath(new URL('../examples/refine-supervised.yaml', import.meta.url)),
)) as RefinedSpec;
const [snrLow, snrHigh] = [0.1, 1.0];
// One dense-grid step in log10 SNR: the precision a 60-value grid has.
const denseStep = Math.log10(snrHigh / snrLow) / (DENSE_POINTS - 1);

function withSeeds(spec: SweepSpec, rep: number, name: string): SweepSpec {
  return { ...spec, name, grid: { ...spec.grid, seed: { range: [2 * rep, 2 * rep + 2] } } };
}

function denseSpec(rep: number): SweepSpec {
  const { refine: _refine, ...rest } = refinedBase;
  const spec = withSeeds(rest, rep, `refine-bench-dense-${rep}`);
  return { ...spec, grid: { ...spec.grid, snr: { geomspace: [snrLow, snrHigh, DENSE_POINTS] } } };
}

interface ProgramRun {
  seconds: number;
  cpuSeconds: number;
  load: number;
  cells: number;
  cached: number;
  crossings: Map<number, { crossing: number | null; cells: number }>;
}

// Each program runs on its own fresh stack (bench/noop-sweep.ts), so neither is served from the
// other's cache; the crossings are read while that stack is up.
function timed(
  spec: SweepSpec,
  crossingsOf: (pool: pg.Pool, sweepId: string) => Promise<ProgramRun['crossings']>,
): Promise<ProgramRun> {
  return withTimedSweep(spec, values.concurrency!, async (run) => {
    const pool = createPool(String(run.env.DATABASE_URL));
    try {
      return {
        seconds: run.seconds,
        cpuSeconds: run.workerCpuSeconds,
        load: run.load,
        cells: run.cells,
        cached: run.cached,
        crossings: await crossingsOf(pool, run.sweepId),
      };
    } finally {
      await pool.end();
    }
  });
}

function runRefined(rep: number): Promise<ProgramRun> {
  const spec = withSeeds(refinedBase, rep, `refine-bench-refined-${rep}`) as RefinedSpec;
  return timed(spec, async (pool, sweepId) => {
    const crossings: ProgramRun['crossings'] = new Map();
    for (const b of await sweepBoundaries(pool, sweepId)) {
      crossings.set(Number(b.group_values.n_labels), { crossing: b.crossing, cells: b.cells });
    }
    return crossings;
  });
}

// The dense grid's crossing per row by the same rule (first crossing, interpolated in log SNR).
function runDense(rep: number): Promise<ProgramRun> {
  const spec = denseSpec(rep);
  return timed(spec, async (pool, sweepId) => {
    const observations = await refineObservations(pool, sweepId, refinedBase.refine.metric, 1);
    const plan = planRound({ ...spec, refine: refinedBase.refine }, observations, false);
    const crossings: ProgramRun['crossings'] = new Map();
    for (const b of plan.boundaries)
      crossings.set(Number(b.group.n_labels), { crossing: b.crossing, cells: b.cells });
    return crossings;
  });
}

async function measureDense() {
  const reps: unknown[] = [];
  const runs: { refined: ProgramRun; dense: ProgramRun; withinOneStep: boolean }[] = [];
  for (let rep = 0; rep < Number(values.reps); rep++) {
    // Alternating which program goes first, so that neither always meets the warmer machine.
    const refined = rep % 2 === 0 ? await runRefined(rep) : undefined;
    const dense = await runDense(rep);
    const refinedRun = refined ?? (await runRefined(rep));
    const rows = [...dense.crossings.keys()]
      .sort((a, b) => a - b)
      .map((n) => {
        const r = refinedRun.crossings.get(n);
        const d = dense.crossings.get(n)!;
        const distance =
          r?.crossing && d.crossing ? Math.abs(Math.log10(r.crossing) - Math.log10(d.crossing)) : null;
        return {
          n_labels: n,
          refined_crossing: r?.crossing ?? null,
          dense_crossing: d.crossing,
          log10_distance: distance === null ? null : Number(distance.toFixed(4)),
          within_one_step: distance !== null && distance <= denseStep,
          refined_cells: r?.cells ?? 0,
          dense_cells: d.cells,
        };
      });
    const program = (p: ProgramRun) => ({
      cells: p.cells,
      cached: p.cached,
      wall_s: Number(p.seconds.toFixed(1)),
      worker_cpu_s: Number(p.cpuSeconds.toFixed(1)),
      load_1min_at_start: Number(p.load.toFixed(1)),
    });
    runs.push({ refined: refinedRun, dense, withinOneStep: rows.every((r) => r.within_one_step) });
    reps.push({
      rep,
      seeds: [2 * rep, 2 * rep + 1],
      first: rep % 2 === 0 ? 'refined' : 'dense',
      rows,
      refined: program(refinedRun),
      dense: program(dense),
      cell_ratio: Number((refinedRun.cells / dense.cells).toFixed(3)),
      wall_ratio: Number((refinedRun.seconds / dense.seconds).toFixed(3)),
      cpu_ratio: Number((refinedRun.cpuSeconds / dense.cpuSeconds).toFixed(3)),
      all_within_one_step: rows.every((r) => r.within_one_step),
    });
    for (const r of rows) {
      console.log(
        `rep ${rep} n=${r.n_labels}: refined ${r.refined_crossing?.toFixed(4) ?? '-'} (${r.refined_cells} cells), ` +
          `dense ${r.dense_crossing?.toFixed(4) ?? '-'} (${r.dense_cells} cells), |Δlog10| ${r.log10_distance ?? '-'} ` +
          `${r.within_one_step ? '<=' : '>'} step ${denseStep.toFixed(4)}`,
      );
    }
    console.log(
      `rep ${rep}: refined ${refinedRun.cells} cells ${refinedRun.seconds.toFixed(1)} s wall ${refinedRun.cpuSeconds.toFixed(1)} CPU s; ` +
        `dense ${dense.cells} cells ${dense.seconds.toFixed(1)} s wall ${dense.cpuSeconds.toFixed(1)} CPU s`,
    );
  }
  const total = (program: 'refined' | 'dense', key: 'seconds' | 'cpuSeconds'): number =>
    runs.reduce((acc, r) => acc + r[program][key], 0);
  const report = {
    refined_spec: 'examples/refine-supervised.yaml',
    dense_grid: `${DENSE_POINTS} SNRs in geomspace(${snrLow}, ${snrHigh}), same rows and seeds`,
    dense_step_log10: Number(denseStep.toFixed(5)),
    target: 'refined crossing within one dense step of the dense crossing on every row, <= 25% of the cells',
    reps,
    // Over all repetitions: the refined program's total over the dense one's.
    wall_ratio: Number((total('refined', 'seconds') / total('dense', 'seconds')).toFixed(3)),
    cpu_ratio: Number((total('refined', 'cpuSeconds') / total('dense', 'cpuSeconds')).toFixed(3)),
    all_within_one_step: runs.every((r) => r.withinOneStep),
    load_1min_at_end: Number(loadavg()[0]!.toFixed(1)),
    worker_concurrency: Number(values.concurrency),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model },
  };
  return report;
}

// The seeds measurement: the example's rows (two of them at --scale small) with refine.seeds.
function seededSpec(): RefinedSpec {
  const rows = scale === 'small' ? [16, 64] : refinedBase.grid.n_labels;
  return {
    ...refinedBase,
    name: 'refine-bench-seeds',
    grid: { ...refinedBase.grid, n_labels: rows },
    refine: {
      ...refinedBase.refine,
      max_rounds: Number(values['max-rounds']),
      seeds: { max: Number(values['max-seeds']), ci_width: Number(values['ci-width']) },
    },
  };
}

async function measureTraced() {
  const s = TRACE_SCALES[scale];
  if (values['dense-only']) {
    const dense = await runDenseTrace(refinedBase, s, Number(values['dense-seeds']), values.concurrency!);
    if (values['dense-out']) writeFileSync(values['dense-out'], `${JSON.stringify(dense, null, 2)}\n`);
    return dense;
  }
  const dense = values['dense-from']
    ? (JSON.parse(readFileSync(values['dense-from'], 'utf8')) as DenseRun)
    : undefined;
  return measureTrace(refinedBase, s, Number(values['max-rounds']), values.concurrency!, {
    tracedOnly: values['traced-only'],
    dense,
  });
}

const report =
  measure === 'dense'
    ? await measureDense()
    : measure === 'seeds'
      ? await measureSeeds(seededSpec(), values.concurrency!)
      : await measureTraced();
const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model,
  load_1min_at_end: Number(loadavg()[0]!.toFixed(1)),
};
const out = { measure, scale, ...report, machine };
console.log(JSON.stringify(out, null, 2));
if (values.out) writeFileSync(values.out, `${JSON.stringify(out, null, 2)}\n`);
// The trace measurement's per-row table, as RESULTS.md has it.
if ('table' in report) console.log(`\n${report.table}`);
