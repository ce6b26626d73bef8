import type pg from 'pg';
import { parseCellParams } from '../../trainer/index.ts';
import { createSweep } from '../../store/sweeps.ts';
import { insertSweepCells } from '../../store/cells.ts';
import { expandCells, type Cell } from '../../sweep/cells.ts';
import { specHash } from '../../sweep/spec.ts';
import type { SweepSpec } from '../../sweep/spec-schema.ts';
import {
  recordFailure,
  writeCurves,
  writeResults,
  type CurveRow,
  type ResultRow,
} from '../../store/results.ts';

// Deterministic pseudo-random numbers (mulberry32), so fixtures are the same on every run.
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SNRS = [0.05, 0.08, 0.12, 0.18, 0.27, 0.4, 0.6, 0.9, 1.35, 2];
export const N_LABELS = [4, 8, 16, 32, 64];
export const N_UNLABELED = [100, 400];

// A supervised + SimCLR grid (15 rows x 10 SNRs) with `seeds` seeds per point.
export function gridCells(sweepId: string, seeds: number): Cell[] {
  const cells: Cell[] = [];
  const rows: { method: 'supervised' | 'simclr'; n_labels: number; n_unlabeled?: number }[] = [
    ...N_LABELS.map((n) => ({ method: 'supervised' as const, n_labels: n })),
    ...N_UNLABELED.flatMap((u) =>
      N_LABELS.map((n) => ({ method: 'simclr' as const, n_labels: n, n_unlabeled: u })),
    ),
  ];
  for (const row of rows) {
    for (const snr of SNRS) {
      for (let seed = 0; seed < seeds; seed++) {
        const ordinal = cells.length;
        cells.push({ key: `${sweepId}:${ordinal}`, ordinal, params: parseCellParams({ ...row, snr, seed }) });
      }
    }
  }
  return cells;
}

// A plausible outcome: error ~0.5 below n * SNR^3 ~ 2 and ~0 above, with noise; ~1% diverged, none
// with `converged` (for a test that reads every cell's numbers).
export function syntheticResult(
  cell: Cell,
  sweepId: string,
  random: () => number,
  opts: { converged?: boolean } = {},
): ResultRow {
  const { n_labels, snr, q, method, n_unlabeled } = cell.params;
  const invariant = method === 'simclr' ? n_unlabeled * snr ** 2 : n_labels * snr ** q;
  // Drawn either way, so that the numbers that follow are the same with or without `converged`.
  const diverged = random() < 0.01 && opts.converged !== true;
  const error = Math.min(1, Math.max(0, 0.5 / (1 + (invariant / 2) ** 3) + (random() - 0.5) * 0.06));
  return {
    cell_key: cell.key,
    test_error: diverged ? null : error,
    test_loss: diverged ? null : error * 2 + random() * 0.1,
    train_loss: diverged ? null : random() * 1e-3,
    best_test_error: diverged ? null : error * random(),
    signal_alignment: diverged ? null : 1 - error * 1.5 + random() * 0.05,
    signal_learning: diverged ? null : 1 - error + random() * 0.1,
    noise_memorization: diverged ? null : error + random() * 0.1,
    pretrain_alignment: diverged || method !== 'simclr' ? null : 1 - error + random() * 0.05,
    best_step: diverged ? null : Math.floor(random() * cell.params.steps),
    probe_alignment: diverged || method !== 'simclr' ? null : 1 - error / 2 + random() * 0.05,
    linear_probe_error: diverged || method !== 'simclr' ? null : error / 2,
    head_change: null,
    diverged,
    steps: cell.params.steps,
    wall_ms: 50 + random() * 50,
    backend: 'cpu',
    worker_id: `worker-${Math.floor(random() * 4)}`,
    trainer_version: 'test',
    sweep_id: sweepId,
  };
}

// A converged result (1000 steps) whose metrics follow from its test error `err`, for tests that store
// the outcomes of a known table or law.
export function resultOfError(
  cellKey: string,
  err: number,
  sweepId: string,
  trainerVersion: string,
): ResultRow {
  return {
    cell_key: cellKey,
    test_error: err,
    test_loss: err,
    train_loss: 1e-4,
    best_test_error: err,
    signal_alignment: 1 - err,
    signal_learning: 1 - err,
    noise_memorization: err,
    pretrain_alignment: null,
    best_step: 1000,
    probe_alignment: null,
    linear_probe_error: null,
    head_change: null,
    diverged: false,
    steps: 1000,
    wall_ms: 10,
    backend: 'cpu',
    worker_id: 'test',
    trainer_version: trainerVersion,
    sweep_id: sweepId,
  };
}

// A sweep of `spec` stored as a worker would leave it (row, cells), with a converged synthetic result
// for every cell; `override` sets the fields a test reads.
export async function storeSyntheticSweep(
  pool: pg.Pool,
  id: string,
  spec: SweepSpec,
  override: (cell: Cell) => Partial<ResultRow> = () => ({}),
): Promise<Cell[]> {
  const cells = expandCells(spec);
  await createSweep(pool, { id, name: spec.name, spec, specHash: specHash(spec), trainerVersion: 'test' });
  await insertSweepCells(pool, id, cells);
  const random = rng(1);
  await writeResults(
    pool,
    cells.map((cell) => ({ ...syntheticResult(cell, id, random, { converged: true }), ...override(cell) })),
  );
  return cells;
}

export function syntheticCurve(cellKey: string, points: number, random: () => number): CurveRow[] {
  return Array.from({ length: points }, (_, i) => ({
    cell_key: cellKey,
    step: i * 100,
    train_loss: Math.exp(-i / 3) + random() * 1e-3,
    test_error: 0.5 * Math.exp(-i / 5),
  }));
}

export interface LoadedData {
  sweepIds: string[];
  scheduleId: string;
  results: number;
  curvePoints: number;
  cellKey: string;
  resultsMs: number;
  curvesMs: number;
}

// Sweeps of one nightly schedule until `results` results exist, each with `curvePointsPerResult`
// curve points; times the result and curve writes separately.
export async function loadSyntheticSweeps(
  pool: pg.Pool,
  opts: { results: number; seeds: number; curvePointsPerResult: number },
): Promise<LoadedData> {
  const random = rng(42);
  const scheduleId = 'nightly-demo';
  const sweepIds: string[] = [];
  const allCells: Cell[] = [];
  const rows: ResultRow[] = [];
  const failures: { sweep_id: string; cell_key: string }[] = [];
  for (let s = 0; rows.length < opts.results; s++) {
    const id = `sweep-${String(s).padStart(3, '0')}`;
    sweepIds.push(id);
    await createSweep(pool, {
      id,
      name: `nightly-${s % 3}`,
      spec: { grid: 'synthetic' },
      specHash: `hash-${s}`,
      trainerVersion: 'test',
      scheduleId,
    });
    const cells = gridCells(id, opts.seeds);
    await insertSweepCells(pool, id, cells);
    // One cell in 200 failed instead of producing a result.
    for (const c of cells) {
      if (rows.length >= opts.results) break;
      if (c.ordinal % 200 === 7) failures.push({ sweep_id: id, cell_key: c.key });
      else {
        allCells.push(c);
        rows.push(syntheticResult(c, id, random));
      }
    }
  }
  for (const f of failures) await recordFailure(pool, { ...f, attempt: 3, error: 'synthetic failure' });
  let t = performance.now();
  await writeResults(pool, rows);
  const resultsMs = performance.now() - t;
  const curve = allCells.flatMap((c) => syntheticCurve(c.key, opts.curvePointsPerResult, random));
  t = performance.now();
  await writeCurves(pool, curve);
  const curvesMs = performance.now() - t;
  // refine: rounds added a quarter of each sweep's cells, so that queries joining refine_cells are
  // planned against a filled table.
  await pool.query(
    `INSERT INTO refine_cells (sweep_id, cell_key, round)
     SELECT sweep_id, cell_key, 1 + ordinal % 3 FROM sweep_cells WHERE ordinal % 4 = 3`,
  );
  // Results of a real store span weeks; spread them over ~6 weeks so time-window panels select a slice.
  await pool.query(
    `UPDATE results SET finished_at = now() - (hashtext(cell_key) & 1023) * interval '1 hour'`,
  );
  await pool.query('VACUUM ANALYZE');
  return {
    sweepIds,
    scheduleId,
    results: rows.length,
    curvePoints: curve.length,
    cellKey: allCells[Math.floor(allCells.length / 2)].key,
    resultsMs,
    curvesMs,
  };
}

// A cell of a user's program (`method: command`): parameters by the program's own names, none of the
// CNN's typed coordinates. Built at the store level, as the command method's writers store them
// (store/migrations/019_command_results.sql): the typed coordinates NULL, `params` holding them all.
export interface CommandCell {
  key: string;
  ordinal: number;
  params: { method: 'command'; seed: number } & Record<string, number | string | boolean>;
}

// Every combination of the axes' values (the seed last), keys `${sweepId}:${ordinal}`.
export function commandCells(
  sweepId: string,
  axes: Record<string, (number | string | boolean)[]>,
  seeds: number,
): CommandCell[] {
  let combos: Record<string, number | string | boolean>[] = [{}];
  for (const [name, values] of Object.entries(axes))
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  const cells: CommandCell[] = [];
  for (const combo of combos)
    for (let seed = 0; seed < seeds; seed++) {
      const ordinal = cells.length;
      cells.push({ key: `${sweepId}:${ordinal}`, ordinal, params: { method: 'command', ...combo, seed } });
    }
  return cells;
}

export async function insertCommandCells(
  pool: pg.Pool,
  sweepId: string,
  cells: CommandCell[],
): Promise<void> {
  await pool.query(
    `INSERT INTO sweep_cells (sweep_id, cell_key, ordinal, method, seed, params)
     SELECT $1, k, o, 'command', s, p::jsonb
     FROM unnest($2::text[], $3::integer[], $4::integer[], $5::text[]) AS t(k, o, s, p)
     ON CONFLICT DO NOTHING`,
    [
      sweepId,
      cells.map((c) => c.key),
      cells.map((c) => c.ordinal),
      cells.map((c) => c.params.seed),
      cells.map((c) => JSON.stringify(c.params)),
    ],
  );
}

// A command result: the typed metrics NULL, its metrics by name, the code hash of the program.
export interface CommandResultRow {
  cell_key: string;
  sweep_id: string;
  metrics: Record<string, number | null>;
  code_hash: string;
}

export async function writeCommandResults(pool: pg.Pool, rows: CommandResultRow[]): Promise<void> {
  await pool.query(
    `INSERT INTO results (cell_key, diverged, steps, wall_ms, backend, worker_id, trainer_version, sweep_id,
       metrics, code_hash)
     SELECT k, false, 0, 1, 'command', 'worker-0', 'command-1', s, m::jsonb, h
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(k, s, m, h)
     ON CONFLICT (cell_key) DO NOTHING`,
    [
      rows.map((r) => r.cell_key),
      rows.map((r) => r.sweep_id),
      rows.map((r) => JSON.stringify(r.metrics)),
      rows.map((r) => r.code_hash),
    ],
  );
}

// A plausible program's outcome: val_err falls from 0.5 to 0 as n * snr^2 grows past 4, with noise;
// acc is 1 - val_err; `note` is reported as null by every tenth cell.
export function syntheticCommandResult(
  cell: CommandCell,
  sweepId: string,
  random: () => number,
  codeHash = 'code-a',
): CommandResultRow {
  const n = Number(cell.params.n);
  const snr = Number(cell.params.snr);
  const err = Math.min(1, Math.max(0, 0.5 / (1 + ((n * snr ** 2) / 4) ** 3) + (random() - 0.5) * 0.04));
  return {
    cell_key: cell.key,
    sweep_id: sweepId,
    metrics: { val_err: err, acc: 1 - err, note: cell.ordinal % 10 === 3 ? null : random() },
    code_hash: codeHash,
  };
}
