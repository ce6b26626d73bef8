import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { tQuantile } from '../../sweep/stats.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { rng, SNRS } from '../helpers/store-fixtures.ts';
import { parseCellParams, type CellParams } from '../../trainer/index.ts';
import { createPool } from '../../store/pool.ts';
import { migrate } from '../../store/migrate.ts';
import { createSweep } from '../../store/sweeps.ts';
import { insertSweepCells } from '../../store/cells.ts';
import type { Cell } from '../../sweep/cells.ts';
import { recordFailure, writeResults, type ResultRow } from '../../store/results.ts';
import { gridStats } from '../helpers/grid-stats.ts';

// The SQL view's t975 (a table and an expansion) checked against the statistics library's quantile.
const t975 = (df: number): number => tQuantile(0.975, df);

// Seeds per grid point: 1 (no CI), 2..5, and 40 (beyond the table in SQL: the expansion).
const SEED_COUNTS = [1, 2, 3, 4, 5, 40];
const METRICS = ['test_error', 'test_loss', 'train_loss', 'signal_alignment', 'noise_memorization'] as const;

let server: Awaited<ReturnType<typeof startTestPostgres>>;
let pool: pg.Pool;
const stored: { cell: Cell; result?: ResultRow; failed?: boolean }[] = [];

function pointKey(p: CellParams): string {
  return [p.method, p.n_labels, p.method === 'simclr' ? p.n_unlabeled : null, p.snr].join('|');
}

function summary(values: number[]) {
  const n = values.length;
  if (n === 0) return { n, mean: null, sd: null, low: null, high: null };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, sd: null, low: null, high: null };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, low: mean - half, high: mean + half };
}

function close(actual: number | null, expected: number | null, what: string, tol = 1e-9) {
  if (expected === null) return assert.equal(actual, null, what);
  assert.ok(actual !== null, `${what}: expected ${expected}, got null`);
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );
}

describe('store aggregates and phase boundary', () => {
  before(async () => {
    server = await startTestPostgres();
    await migrate(server.url);
    pool = createPool(server.url);
    await createSweep(pool, { id: 'agg', name: 'agg', spec: {}, specHash: 'h', trainerVersion: 'v' });
    const random = rng(11);
    const rows = [
      ...[4, 16, 64].map((n) => ({ method: 'supervised' as const, n_labels: n })),
      ...[100, 400].map((u) => ({ method: 'simclr' as const, n_labels: 4, n_unlabeled: u })),
    ];
    let ordinal = 0;
    for (const row of rows) {
      for (const snr of SNRS) {
        const seeds = SEED_COUNTS[Math.floor(random() * SEED_COUNTS.length)];
        for (let seed = 0; seed < seeds; seed++) {
          const params = parseCellParams({ ...row, snr, seed });
          const cell = { key: `agg-${ordinal}`, ordinal: ordinal++, params };
          const fate = random();
          // ~5% diverged, ~3% failed, ~2% still pending; the rest have metrics.
          if (fate < 0.03) {
            stored.push({ cell, failed: true });
            await recordFailure(pool, { sweep_id: 'agg', cell_key: cell.key, attempt: 3, error: 'x' });
            continue;
          }
          if (fate < 0.05) {
            stored.push({ cell });
            continue;
          }
          const diverged = fate < 0.1;
          const inv = row.method === 'simclr' ? row.n_unlabeled! * snr ** 2 : row.n_labels * snr ** 3;
          const err = Math.min(1, Math.max(0, 0.5 / (1 + (inv / 2) ** 3) + (random() - 0.5) * 0.1));
          const metric = (v: number) => (diverged ? null : v);
          stored.push({
            cell,
            result: {
              cell_key: cell.key,
              test_error: metric(err),
              test_loss: metric(err * 3 + random()),
              train_loss: metric(random() * 1e-3),
              // A metric missing on one non-diverged cell: averaged over the others.
              signal_alignment: seed === 1 ? null : metric(1 - err + random() * 0.1),
              noise_memorization: metric(err + random() * 0.2),
              best_test_error: metric(err),
              signal_learning: metric(1 - err),
              pretrain_alignment: null,
              best_step: metric(1000),
              probe_alignment: null,
              linear_probe_error: null,
              head_change: null,
              diverged,
              steps: 1000,
              wall_ms: 10,
              backend: 'cpu',
              worker_id: 'w',
              trainer_version: 'v',
              sweep_id: 'agg',
            },
          });
        }
      }
    }
    await insertSweepCells(
      pool,
      'agg',
      stored.map((s) => s.cell),
    );
    await writeResults(
      pool,
      stored.flatMap((s) => (s.result ? [s.result] : [])),
    );
  });
  after(async () => {
    await pool?.end();
    await server?.stop();
  });

  test('per grid point: counts, mean, sd and 95% t interval of every metric match TypeScript', async () => {
    const groups = new Map<string, typeof stored>();
    for (const s of stored)
      groups.set(pointKey(s.cell.params), [...(groups.get(pointKey(s.cell.params)) ?? []), s]);
    const stats = await gridStats(pool, 'agg');
    assert.equal(stats.length, groups.size);
    const ciSeen = new Set<number>();
    for (const g of stats) {
      const key = [g.method, g.n_labels, g.n_unlabeled, g.snr].join('|');
      const members = groups.get(key);
      assert.ok(members, `grid point ${key} exists`);
      const withResult = members.filter((m) => m.result);
      const live = withResult.filter((m) => !m.result!.diverged);
      assert.equal(g.cells, members.length, `${key} cells`);
      assert.equal(g.seeds, withResult.length, `${key} seeds`);
      assert.equal(g.diverged, withResult.length - live.length, `${key} diverged`);
      assert.equal(g.failed, members.filter((m) => m.failed).length, `${key} failed`);
      for (const metric of METRICS) {
        const values = live.map((m) => m.result![metric]).filter((v): v is number => v !== null);
        const s = summary(values);
        const rec = g as unknown as Record<string, number | null>;
        const suffix = metric === 'test_error' ? '' : `_${metric}`;
        assert.equal(metric === 'test_error' ? g.n : rec[`n_${metric}`], s.n, `${key} n ${metric}`);
        close(rec[`mean_${metric}`], s.mean, `${key} mean ${metric}`);
        close(rec[`sd_${metric}`], s.sd, `${key} sd ${metric}`);
        // The SQL table has 6 decimals and beyond df 30 an expansion accurate to ~1e-5.
        close(rec[`ci95_low${suffix}`], s.low, `${key} ci low ${metric}`, 1e-5);
        close(rec[`ci95_high${suffix}`], s.high, `${key} ci high ${metric}`, 1e-5);
        if (metric === 'test_error' && s.sd !== null) ciSeen.add(s.n - 1);
      }
    }
    assert.ok(
      [...ciSeen].some((df) => df > 30) && ciSeen.size >= 3,
      `intervals checked for df ${[...ciSeen]}`,
    );
  });
});
