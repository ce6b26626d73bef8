// bench:refine --measure trace: the boundary traced in two dimensions against a dense grid at the same
// resolution. The traced sweep starts from a few rows and SNRs; the dense one has every row at ratio
// 2^(1/4) (rounded, distinct) and `denseSnrs` SNRs over the same range, with the traced run's median
// seeds per cell. Each on its own fresh stack (bench/noop-sweep.ts). Per traced row: its crossing and
// ci95 against the dense crossing at that row (interpolated in log-log between the nearest dense rows).
// The dense run can be stored (--dense-out) and compared with later traced runs (--dense-from): its
// cells are the same whatever the traced run does, as long as the seeds per cell are.
import type pg from 'pg';
import { refineObservations } from '../store/refine-cells.ts';
import { createPool } from '../store/pool.ts';
import { planRound, type GroupBoundary, type RefinedSpec } from '../sweep/refine-round.ts';
import { MAX_REFINE_ROUNDS } from '../sweep/refine-schema.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import { geomspace } from '../sweep/values.ts';
import { withTimedSweep, type SweepRun } from './noop-sweep.ts';

export interface TraceScale {
  rows: [number, number];
  snrs: [number, number];
  // Coarse start of the traced sweep.
  coarseRows: number;
  coarseSnrs: number;
  denseSnrs: number;
  // Dense rows at ratio 2^(1 / rowsPerOctave).
  rowsPerOctave: number;
}

export const TRACE_SCALES = {
  full: { rows: [4, 512], snrs: [0.05, 2], coarseRows: 3, coarseSnrs: 4, denseSnrs: 60, rowsPerOctave: 4 },
  small: { rows: [16, 64], snrs: [0.1, 1], coarseRows: 2, coarseSnrs: 4, denseSnrs: 16, rowsPerOctave: 2 },
} as const satisfies Record<string, TraceScale>;

const log10Step = (s: TraceScale) => Math.log10(s.snrs[1] / s.snrs[0]) / (s.denseSnrs - 1);

// The traced run's first rows: geometric between the ends, rounded (n_labels is a whole number).
function coarseRows(s: TraceScale): number[] {
  return geomspace(s.rows[0], s.rows[1], s.coarseRows).map(Math.round);
}

export function tracedSpec(base: RefinedSpec, s: TraceScale, maxRounds: number): RefinedSpec {
  return {
    ...base,
    name: 'refine-bench-traced',
    grid: {
      ...base.grid,
      n_labels: coarseRows(s),
      snr: { geomspace: [s.snrs[0], s.snrs[1], s.coarseSnrs] },
    },
    refine: {
      ...base.refine,
      // Bisected to the dense grid's resolution, rows added until adjacent crossings are 0.05 apart.
      resolution: Number(log10Step(s).toFixed(4)),
      max_rounds: maxRounds,
      trace: { axis: 'n_labels', resolution: 0.05 },
    },
  } as RefinedSpec;
}

export function denseRows(s: TraceScale): number[] {
  const octaves = Math.log2(s.rows[1] / s.rows[0]);
  const rows = Array.from({ length: Math.round(octaves * s.rowsPerOctave) + 1 }, (_, k) =>
    Math.round(s.rows[0] * 2 ** (k / s.rowsPerOctave)),
  );
  return [...new Set(rows)];
}

function denseSpec(base: RefinedSpec, s: TraceScale, seeds: number): SweepSpec {
  const { refine: _refine, ...rest } = base;
  return {
    ...rest,
    name: 'refine-bench-dense-2d',
    grid: {
      ...rest.grid,
      n_labels: denseRows(s),
      snr: { geomspace: [s.snrs[0], s.snrs[1], s.denseSnrs] },
      seed: { range: [0, seeds] },
    },
  };
}

async function boundariesOf(run: SweepRun, spec: RefinedSpec, refineOf: RefinedSpec['refine']) {
  const pool: pg.Pool = createPool(String(run.env.DATABASE_URL));
  try {
    const observations = await refineObservations(pool, run.sweepId, refineOf.metric, MAX_REFINE_ROUNDS + 1);
    return {
      observations,
      boundaries: planRound({ ...spec, refine: refineOf }, observations, false).boundaries,
    };
  } finally {
    await pool.end();
  }
}

// The dense crossing at row n: interpolated in log-log between the nearest dense rows with a crossing.
export function denseAt(dense: { n: number; crossing: number }[], n: number): number | null {
  const below = dense.filter((d) => d.n <= n).at(-1);
  const above = dense.find((d) => d.n >= n);
  if (!below || !above) return null;
  if (below.n === above.n) return below.crossing;
  const t = Math.log(n / below.n) / Math.log(above.n / below.n);
  return Math.exp(Math.log(below.crossing) + t * Math.log(above.crossing / below.crossing));
}

const program = (run: SweepRun) => ({
  cells: run.cells,
  wall_s: Number(run.seconds.toFixed(1)),
  worker_cpu_s: Number(run.workerCpuSeconds.toFixed(1)),
  load_1min_at_start: Number(run.load.toFixed(1)),
});

// The dense grid's run, as stored by --dense-out and read back by --dense-from: its crossing at every
// dense row and what it cost. Stored once because at full scale it takes most of an hour under load.
export interface DenseRun {
  scale: TraceScale;
  seeds: number;
  crossings: { n: number; crossing: number }[];
  program: ReturnType<typeof program>;
  measured_at: string;
}

export async function runDense(base: RefinedSpec, s: TraceScale, seeds: number, concurrency: string) {
  const spec = tracedSpec(base, s, 0);
  const dSpec = denseSpec(base, s, seeds);
  const dense = await withTimedSweep(dSpec, concurrency, async (run) => ({
    run,
    ...(await boundariesOf(run, dSpec as RefinedSpec, spec.refine)),
  }));
  return {
    scale: s,
    seeds,
    crossings: dense.boundaries
      .filter((b) => b.crossing !== null)
      .map((b) => ({ n: Number(b.group.n_labels), crossing: b.crossing! }))
      .sort((a, b) => a.n - b.n),
    program: program(dense.run),
    measured_at: new Date().toISOString(),
  } satisfies DenseRun;
}

// Where a traced run's cells went: the grid, the rows' first values (predicted brackets of added rows)
// and the rounds after them (bisection and seeds), per row.
function cellsByRow(observations: { params: { n_labels?: number; snr?: number }; round: number }[]) {
  const rows = new Map<number, { first: number; firstRound: number; later: number }>();
  for (const o of observations) {
    const n = Number(o.params.n_labels);
    const row = rows.get(n) ?? { first: 0, firstRound: o.round, later: 0 };
    if (o.round < row.firstRound) {
      row.later += row.first;
      row.first = 0;
      row.firstRound = o.round;
    }
    if (o.round === row.firstRound) row.first++;
    else row.later++;
    rows.set(n, row);
  }
  return rows;
}

// Where a traced run's cells went: the grid and the later rounds on the grid's rows (bisection), the
// added rows' first values (two around the predicted crossing) and their later rounds (widening toward
// the neighbours' intervals, bisection where the prediction missed), and how many added rows their first
// values settled.
export function cellsWentTo(
  observations: { params: { n_labels?: number; snr?: number }; round: number }[],
  boundaries: Pick<GroupBoundary, 'group' | 'traced'>[],
) {
  const spent = cellsByRow(observations);
  const rows = (traced: boolean) =>
    boundaries.filter((b) => b.traced === traced).map((b) => spent.get(Number(b.group.n_labels))!);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const added = rows(true);
  return {
    grid: sum(rows(false).map((r) => r.first)),
    grid_rows_later_rounds: sum(rows(false).map((r) => r.later)),
    added_rows: added.length,
    added_rows_first_values: sum(added.map((r) => r.first)),
    added_rows_later_rounds: sum(added.map((r) => r.later)),
    added_rows_settled_by_first_values: added.filter((r) => r.later === 0).length,
  };
}

const ci = (c: [number, number] | null) => (c ? `[${c[0].toFixed(4)}, ${c[1].toFixed(4)}]` : '-');

// The per-row table of RESULTS.md, from the report's rows.
export function traceTable(rows: ReturnType<typeof compareRows>): string {
  const lines = [
    '| n_labels | traced | cells | crossing | ci95 | dense crossing | abs. log10 distance | dense inside ci95 |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.n_labels} | ${r.traced ? 'yes' : 'no'} | ${r.cells} | ${r.crossing?.toFixed(4) ?? '-'} | ` +
        `${ci(r.ci95)} | ${r.dense_crossing?.toFixed(4) ?? '-'} | ${r.log10_distance?.toFixed(4) ?? '-'} | ` +
        `${r.dense_inside_ci95 ? 'yes' : '**no**'} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

// Per traced row: its crossing and ci95 against the dense crossing at that row.
function compareRows(boundaries: GroupBoundary[], dense: DenseRun, step: number) {
  return boundaries
    .map((b) => {
      const n = Number(b.group.n_labels);
      const d = denseAt(dense.crossings, n);
      const distance = b.crossing && d ? Math.abs(Math.log10(b.crossing / d)) : null;
      return {
        n_labels: n,
        traced: b.traced,
        cells: b.cells,
        crossing: b.crossing,
        ci95: b.ci95,
        dense_crossing: d === null ? null : Number(d.toPrecision(6)),
        log10_distance: distance === null ? null : Number(distance.toFixed(4)),
        within_one_step: distance !== null && distance <= step,
        dense_inside_ci95: d !== null && b.ci95 !== null && d >= b.ci95[0] && d <= b.ci95[1],
      };
    })
    .sort((a, b) => a.n_labels - b.n_labels);
}

// The traced run, compared with a dense run: this one's (`dense` absent: the dense grid is run too) or
// a stored one (--dense-from). With `tracedOnly` and no stored dense run, the report has the traced
// rows and the cells the dense grid would need.
export async function measureTrace(
  base: RefinedSpec,
  s: TraceScale,
  maxRounds: number,
  concurrency: string,
  options: { tracedOnly?: boolean; dense?: DenseRun } = {},
) {
  const spec = tracedSpec(base, s, maxRounds);
  const traced = await withTimedSweep(spec, concurrency, async (run) => ({
    run,
    ...(await boundariesOf(run, spec, spec.refine)),
  }));
  const perCell = new Map<string, number>();
  for (const o of traced.observations) {
    const key = `${o.params.n_labels}@${o.params.snr}`;
    perCell.set(key, (perCell.get(key) ?? 0) + 1);
  }
  const counts = [...perCell.values()].sort((a, b) => a - b);
  const medianSeeds = counts[Math.floor(counts.length / 2)];
  const where = cellsWentTo(traced.observations, traced.boundaries);
  if (options.tracedOnly && !options.dense) {
    const denseCells = denseRows(s).length * s.denseSnrs * medianSeeds;
    return {
      scale: s,
      median_seeds: medianSeeds,
      rows: traced.boundaries
        .map((b) => ({
          n_labels: Number(b.group.n_labels),
          traced: b.traced,
          kind: b.kind,
          crossing: b.crossing,
          ci95: b.ci95,
          cells: b.cells,
        }))
        .sort((a, b) => a.n_labels - b.n_labels),
      traced: program(traced.run),
      cells_went_to: where,
      dense_cells_needed: denseCells,
      cell_ratio: Number((traced.run.cells / denseCells).toFixed(3)),
      targets: 'cell_ratio <= 0.05 (the dense grid was not run)',
    };
  }
  const dense = options.dense ?? (await runDense(base, s, medianSeeds, concurrency));
  if (dense.seeds !== medianSeeds) {
    throw new Error(
      `the stored dense run has ${dense.seeds} seeds per cell, the traced run's median is ${medianSeeds}`,
    );
  }
  const step = log10Step(s);
  const rows = compareRows(traced.boundaries, dense, step);
  const share = (f: (r: (typeof rows)[number]) => boolean) =>
    Number((rows.filter(f).length / rows.length).toFixed(3));
  return {
    scale: s,
    dense_rows: denseRows(s),
    dense_step_log10: Number(step.toFixed(5)),
    median_seeds: medianSeeds,
    rows,
    traced: program(traced.run),
    rounds: Math.max(...traced.observations.map((o) => o.round)),
    cells_went_to: where,
    dense: { ...dense.program, stored: options.dense ? dense.measured_at : null },
    cell_ratio: Number((traced.run.cells / dense.program.cells).toFixed(3)),
    within_one_step: share((r) => r.within_one_step),
    dense_inside_ci95: share((r) => r.dense_inside_ci95),
    targets: 'cell_ratio <= 0.05, within_one_step = 1, dense_inside_ci95 >= 0.9',
    table: traceTable(rows),
  };
}
