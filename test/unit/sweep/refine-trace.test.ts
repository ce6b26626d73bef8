import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import type { CellParams } from '../../../trainer/index.ts';
import type { RefinedSpec } from '../../../sweep/refine-round.ts';
import {
  aroundPrediction,
  midRow,
  planTrace,
  planWidening,
  predictCrossing,
  type TraceRow,
  type TraceSettings,
} from '../../../sweep/refine-trace.ts';
import { parseSpecText } from '../../../sweep/spec.ts';
import { simulateRefine } from '../../helpers/refine-simulate.ts';

// n_labels (whole numbers, log) against SNR (log).
const SETTINGS: TraceSettings = {
  resolution: 0.05,
  rowScale: 'log',
  rowInteger: true,
  scale: 'log',
  integer: false,
  bracket: 0.01,
};

const row = (
  n: number,
  crossing: number,
  interval: [number, number] = [crossing * 0.98, crossing * 1.02],
): TraceRow => ({
  row: n,
  kind: 'crossing',
  crossing,
  interval,
  settled: true,
  traced: false,
  values: [],
  beyond: { low: false, high: false },
});

test('midRow: geometric on a log axis, rounded on a whole-number one, arithmetic on a linear one', () => {
  assert.equal(midRow(4, 64, SETTINGS), 16);
  assert.equal(midRow(4, 8, SETTINGS), 6);
  assert.equal(midRow(0.1, 0.4, { ...SETTINGS, rowInteger: false }), 0.2);
  assert.equal(midRow(0, 1, { ...SETTINGS, rowScale: 'linear', rowInteger: false }), 0.5);
});

test('predictCrossing: a power law between the neighbours is predicted exactly (log-log)', () => {
  const law = (n: number) => 0.8 * n ** -0.25;
  const predicted = predictCrossing(row(4, law(4)), row(256, law(256)), 32, SETTINGS);
  assert.ok(Math.abs(predicted - law(32)) < 1e-12, `${predicted} vs ${law(32)}`);
  // Linear in the crossing where the refined axis is linear.
  const linear = predictCrossing(row(0, 1), row(4, 3), 2, {
    ...SETTINGS,
    rowScale: 'linear',
    scale: 'linear',
  });
  assert.equal(linear, 2);
});

test('planTrace: a row where adjacent crossings differ by more than the resolution, starting around its prediction', () => {
  const rows = [row(4, 0.5, [0.45, 0.52]), row(64, 0.25, [0.24, 0.27]), row(128, 0.24)];
  const [added, ...more] = planTrace(rows, SETTINGS);
  // 4 and 64 are log10(2) = 0.3 apart in SNR*; 64 and 128 only 0.018.
  assert.equal(more.length, 0);
  assert.equal(added.row, 16);
  assert.ok(Math.abs(added.predicted - Math.sqrt(0.5 * 0.25)) < 1e-9);
  // Only a settled bracket around the prediction: the ends of the neighbours' intervals wait until the
  // row's own seeds say they are needed (planWidening).
  assert.deepEqual(added.values, aroundPrediction(added.predicted, SETTINGS));
  // In the last round (max_rounds) no later round could widen it: the ends of both intervals as well.
  const [last] = planTrace(rows, SETTINGS, true);
  assert.deepEqual(last.values, [0.24, ...aroundPrediction(added.predicted, SETTINGS), 0.52]);
});

test("planWidening: a traced row at its first two values gets the neighbours' interval ends on the sides its resamples cross beyond", () => {
  const first: TraceRow = {
    ...row(16, 0.353, [0.3515, 0.3545]),
    traced: true,
    values: [0.3515, 0.3545],
    beyond: { low: false, high: true },
  };
  const rows = [row(4, 0.5, [0.45, 0.52]), first, row(64, 0.25, [0.24, 0.27])];
  // A resample crossing above the row's values: the high end of both neighbours' intervals only.
  assert.deepEqual(planWidening(rows, SETTINGS), [{ row: 16, values: [0.52] }]);
  const low = { ...first, beyond: { low: true, high: false } };
  assert.deepEqual(planWidening([rows[0], low, rows[2]], SETTINGS), [{ row: 16, values: [0.24] }]);
  // No crossing between the values at all: both ends; the neighbours' crossings where they have no interval.
  const missed: TraceRow = { ...first, kind: 'all_above', crossing: null, beyond: { low: true, high: true } };
  assert.deepEqual(planWidening([rows[0], missed, rows[2]], SETTINGS), [{ row: 16, values: [0.24, 0.52] }]);
  const bare = [{ ...rows[0], interval: null }, missed, { ...rows[2], interval: null }];
  assert.deepEqual(planWidening(bare, SETTINGS), [{ row: 16, values: [0.25, 0.5] }]);
  // Every resample crosses between the two values: the row is settled as it is.
  const settled = { ...first, beyond: { low: false, high: false } };
  assert.deepEqual(planWidening([rows[0], settled, rows[2]], SETTINGS), []);
  // Not a traced row, or one already widened (more than its two first values): nothing.
  assert.deepEqual(planWidening([rows[0], { ...first, traced: false }, rows[2]], SETTINGS), []);
  const widened = { ...first, values: [0.3515, 0.3545, 0.52] };
  assert.deepEqual(planWidening([rows[0], widened, rows[2]], SETTINGS), []);
  // The neighbours' intervals inside the row's values on the side it needs: nothing to add there.
  const inside = { ...first, values: [0.3, 0.6] };
  assert.deepEqual(planWidening([rows[0], inside, rows[2]], SETTINGS), []);
});

test('aroundPrediction: a bracket no wider than the resolution, the prediction inside it', () => {
  for (const predicted of [0.3536, 0.1, 2.718]) {
    const [below, above] = aroundPrediction(predicted, SETTINGS);
    assert.ok(below < predicted && predicted < above, `${below} ${predicted} ${above}`);
    const width = Math.log10(above / below);
    assert.ok(width <= 0.01 && width > 0.008, `${predicted}: ${width}`);
  }
  // Whole numbers: inside the bracket resolution, or the two either side of the prediction.
  assert.deepEqual(
    aroundPrediction(40.3, { ...SETTINGS, scale: 'linear', integer: true, bracket: 2 }),
    [40, 41],
  );
  assert.deepEqual(
    aroundPrediction(40.3, { ...SETTINGS, scale: 'linear', integer: true, bracket: 4 }),
    [39, 42],
  );
  assert.deepEqual(aroundPrediction(40.3, { ...SETTINGS, integer: true, bracket: 0.001 }), [40, 41]);
  assert.deepEqual(aroundPrediction(0.5, { ...SETTINGS, scale: 'linear', bracket: 0.1 }), [0.455, 0.545]);
});

test('planTrace: no row between whole numbers already adjacent, next to a row without a crossing, or twice', () => {
  assert.deepEqual(planTrace([row(4, 0.5), row(5, 0.2)], SETTINGS), []);
  const none: TraceRow = { ...row(64, 0.2), kind: 'all_below', crossing: null, interval: null };
  assert.deepEqual(planTrace([row(4, 0.5), { ...row(64, 0.2), settled: false }], SETTINGS), []);
  assert.deepEqual(planTrace([row(4, 0.5), none], SETTINGS), []);
  const bumpy: TraceRow = { ...row(64, 0.25), kind: 'non_monotone' };
  assert.deepEqual(planTrace([row(4, 0.5), bumpy], SETTINGS), []);
  // Unsorted input, an existing row at the midpoint: nothing new between 4 and 64 but between 4 and 16.
  const rows = [row(64, 0.2), row(4, 0.5), row(16, 0.3)];
  assert.deepEqual(
    planTrace(rows, SETTINGS).map((r) => r.row),
    [8, 32],
  );
});

// A sharp supervised boundary SNR* = 0.8 n^(-1/4): test error 0.5 below it, 0 above, for every seed.
const boundary = (n: number) => 0.8 * n ** -0.25;
const sharp = (p: CellParams) => (p.snr < boundary(p.n_labels) ? 0.5 : 0);

function tracedSpec(rows: number[], extra: object = {}): RefinedSpec {
  return parseSpecText(
    stringify({
      name: 'trace',
      method: 'supervised',
      grid: { n_labels: rows, snr: { geomspace: [0.05, 2, 4] }, seed: { range: [0, 2] } },
      refine: {
        axis: 'snr',
        resolution: 0.01,
        max_rounds: 30,
        trace: { axis: 'n_labels', resolution: 0.05 },
        ...extra,
      },
    }),
    'trace.yaml',
  ) as RefinedSpec;
}

test('refine.trace over whole rounds: rows added until adjacent crossings are within the resolution', () => {
  const run = simulateRefine(tracedSpec([4, 64, 512]), sharp);
  const rows = run.final.map((b) => ({ n: Number(b.group.n_labels), b })).sort((x, y) => x.n - y.n);
  assert.ok(rows.length > 3, `traced rows were added: ${rows.map((r) => r.n)}`);
  for (const { n, b } of rows) {
    assert.equal(b.kind, 'crossing', `n=${n}`);
    assert.equal(b.traced, ![4, 64, 512].includes(n), `n=${n} marked`);
    // Every row, traced or not, bisected to the resolution around the true boundary.
    assert.ok(Math.log10(b.bracket![1] / b.bracket![0]) <= 0.01, `n=${n}: ${b.bracket}`);
    assert.ok(b.bracket![0] <= boundary(n) && boundary(n) <= b.bracket![1], `n=${n}: ${b.bracket}`);
  }
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1], rows[i]];
    const apart = Math.abs(Math.log10(a.b.crossing! / b.b.crossing!));
    // Ended: within the resolution, or no whole number left between the rows.
    assert.ok(
      apart <= 0.05 || midRow(a.n, b.n, SETTINGS) === a.n || midRow(a.n, b.n, SETTINGS) === b.n,
      `${a.n}-${b.n}: ${apart}`,
    );
  }
  // A traced row starts from a predicted bracket: a handful of cells, far fewer than a grid row.
  const traced = rows.filter((r) => r.b.traced);
  const untraced = rows.filter((r) => !r.b.traced);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(traced.map((r) => r.b.cells)) < mean(untraced.map((r) => r.b.cells)));
  // On a power law the line through the neighbours predicts the row: its first values already bracket
  // the crossing to the resolution, and it is not bisected at all.
  for (const { n, b } of traced) assert.equal(b.rounds, 1, `n=${n}: ${b.rounds} rounds, ${b.cells} cells`);
  // Both seeds cross between those two values: nothing else is measured on the row.
  for (const { n, b } of traced) assert.equal(b.cells, 4, `n=${n}: ${b.cells} cells`);
});

test("refine.trace: where the seeds disagree, a traced row is widened toward the side its resamples cross on, and the interval holds both seeds' crossings", () => {
  // Seed 1's boundary 10% above seed 0's: the seed mean crosses 0.25 at seed 1's, where the rows are
  // predicted, and a resample of seed 0 alone crosses below the two first values.
  const spread = (p: CellParams) => (p.snr < boundary(p.n_labels) * (p.seed === 1 ? 1.1 : 1) ? 0.5 : 0);
  const run = simulateRefine(tracedSpec([4, 64, 512]), spread);
  const traced = run.final.filter((b) => b.traced);
  let predicted = 0;
  for (const b of traced) {
    const n = Number(b.group.n_labels);
    const cells = run.observations.filter((o) => o.params.n_labels === n);
    const firstRound = Math.min(...cells.map((o) => o.round));
    const first = [...new Set(cells.filter((o) => o.round === firstRound).map((o) => o.params.snr))];
    const values = [...new Set(cells.map((o) => o.params.snr))];
    // Every resample crosses between the row's values, and the interval runs from seed 0's crossing
    // (below the seed mean's) to seed 1's, the seed mean's.
    assert.equal(b.interval.noCrossing, 0, `n=${n}`);
    assert.ok(b.ci95![0] < boundary(n) * 1.1 && b.ci95![1] >= b.crossing!, `n=${n}: ${b.ci95}`);
    // Where the prediction held the seed mean's crossing (a line through bracketed crossings can miss
    // by a bracket), the row has its two first values and one below them: the low end of the
    // neighbours' intervals, not the high one.
    if (!(Math.min(...first) < boundary(n) * 1.1 && boundary(n) * 1.1 < Math.max(...first))) continue;
    predicted++;
    assert.equal(values.length, 3, `n=${n}: ${values}`);
    assert.equal(b.cells, 6, `n=${n}`);
    assert.ok(Math.min(...values) < boundary(n), `n=${n}: ${values}`);
    assert.ok(Math.max(...values) === Math.max(...first), `n=${n}: ${values}`);
  }
  assert.ok(predicted >= 3, `${predicted} of ${traced.length} traced rows predicted`);
});

test('refine.trace stops at max_rounds, and a traced row whose prediction missed gets the grid values', () => {
  const short = simulateRefine(tracedSpec([4, 512], { max_rounds: 2 }), sharp);
  assert.equal(short.cellsPerRound.length, 3);
  // A boundary with a kink the straight line between 4 and 512 misses by far: the new row's predicted
  // bracket holds no crossing, so the next round lays the grid's SNRs on it.
  const kinked = (p: CellParams) => (p.snr < (p.n_labels === 45 ? 1.5 : boundary(p.n_labels)) ? 0.5 : 0);
  const run = simulateRefine(tracedSpec([4, 512], { max_rounds: 12 }), kinked);
  const mid = run.observations.filter((o) => o.params.n_labels === 45);
  const snrs = new Set(mid.map((o) => o.params.snr));
  for (const grid of [0.05, 2]) assert.ok(snrs.has(grid), `row 45 has SNR ${grid}: ${[...snrs]}`);
});

test('refine.trace on SimCLR: n0 (n_unlabeled) traced against SNR, the rows valid SimCLR cells', () => {
  const law = (n0: number) => 2 * n0 ** -0.3;
  const spec = parseSpecText(
    stringify({
      name: 'trace-simclr',
      method: 'simclr',
      grid: { n_unlabeled: [50, 800], snr: { geomspace: [0.05, 2, 4] }, seed: { range: [0, 2] } },
      fixed: { pretrain_batch: 50 },
      refine: {
        axis: 'snr',
        resolution: 0.02,
        max_rounds: 30,
        trace: { axis: 'n_unlabeled', resolution: 0.05 },
      },
    }),
    'trace-simclr.yaml',
  ) as RefinedSpec;
  const run = simulateRefine(spec, (p) => (p.snr < law(p.n_unlabeled) ? 0.5 : 0));
  const rows = run.final.map((b) => Number(b.group.n_unlabeled)).sort((a, b) => a - b);
  assert.ok(rows.length > 2, `rows ${rows}`);
  for (const b of run.final) {
    assert.equal(b.group.method, 'simclr');
    assert.equal(b.kind, 'crossing');
    const n0 = Number(b.group.n_unlabeled);
    assert.equal(b.traced, n0 !== 50 && n0 !== 800);
    assert.ok(b.bracket![0] <= law(n0) && law(n0) <= b.bracket![1], `n0=${n0}: ${b.bracket}`);
  }
  // The spec's batch of 50 on every row, traced ones included (written out where it is not n0).
  for (const o of run.observations) assert.equal(o.params.pretrain_batch ?? o.params.n_unlabeled, 50);
});

test('a refined axis the batch defaults to: one group per row, new values keep the spec batch', () => {
  const spec = parseSpecText(
    stringify({
      name: 'refine-n0',
      method: 'simclr',
      grid: { n_unlabeled: { geomspace: [50, 800, 3] }, snr: [0.2, 1] },
      fixed: { pretrain_batch: 50 },
      refine: { axis: 'n_unlabeled', resolution: 0.1, max_rounds: 10 },
    }),
    'refine-n0.yaml',
  ) as RefinedSpec;
  const run = simulateRefine(spec, (p) => (p.n_unlabeled * p.snr < 70 ? 0.5 : 0));
  // One group per SNR, the cell at n_unlabeled = 50 (batch normalised away) in its row.
  assert.deepEqual(
    run.final.map((b) => [b.group.snr, b.kind]),
    [
      [0.2, 'crossing'],
      [1, 'crossing'],
    ],
  );
  for (const b of run.final) {
    const truth = 70 / Number(b.group.snr);
    assert.ok(b.bracket![0] <= truth && truth <= b.bracket![1], `snr=${b.group.snr}: ${b.bracket}`);
  }
  for (const o of run.observations) assert.equal(o.params.pretrain_batch ?? o.params.n_unlabeled, 50);
});
