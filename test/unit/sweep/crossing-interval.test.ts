import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bootstrapRng,
  crossingInterval,
  curveCrossings,
  firstCrossing,
  quantile,
  SeedTable,
  type SeedValue,
} from '../../../sweep/crossing-interval.ts';
import { geomspace } from '../../../sweep/values.ts';

const SNRS = geomspace(0.1, 1, 10);
// paper-spec 6.1: mean test error of the calibrated default grid at n = 64.
const N64 = [0.48, 0.48, 0.48, 0.48, 0.48, 0.24, 0.0, 0.0, 0.0, 0.0];

test('firstCrossing interpolates in log axis between the two points around the crossing', () => {
  const curve = SNRS.map((at, i) => ({ at, value: N64[i] }));
  const expected = Math.exp(Math.log(SNRS[4]) + (0.23 / 0.24) * (Math.log(SNRS[5]) - Math.log(SNRS[4])));
  assert.ok(Math.abs(firstCrossing(curve, 0.25, 'log')! - expected) < 1e-12);
  // Linearly on a linear axis, and a rising curve crosses too.
  const rising = [0, 0.25, 0.5, 0.75].map((at, i) => ({ at, value: [0.1, 0.2, 0.4, 0.6][i] }));
  assert.ok(Math.abs(firstCrossing(rising, 0.3, 'linear')! - 0.375) < 1e-12);
  assert.equal(firstCrossing(rising, 0.05, 'linear'), null);
  assert.equal(firstCrossing([], 0.25, 'log'), null);
});

test('curveCrossings lists every crossing: two or more mark a non-monotone curve', () => {
  const wobbly = [0.5, 0.2, 0.3, 0.1].map((value, i) => ({ at: SNRS[i], value }));
  const all = curveCrossings(wobbly, 0.25, 'log');
  assert.deepEqual(
    all.map((c) => [c.low, c.high]),
    [
      [SNRS[0], SNRS[1]],
      [SNRS[1], SNRS[2]],
      [SNRS[2], SNRS[3]],
    ],
  );
  assert.equal(all[0].at, firstCrossing(wobbly, 0.25, 'log'));
});

test('SeedTable: the plain curve is the seed mean; weights count seeds as often as drawn', () => {
  const cells: SeedValue[] = [
    { at: 1, seed: 0, value: 0.4 },
    { at: 1, seed: 1, value: 0.2 },
    { at: 2, seed: 0, value: 0.3 },
    { at: 2, seed: 1, value: null },
  ];
  const table = new SeedTable(cells);
  assert.deepEqual(table.seeds, [0, 1]);
  assert.deepEqual(table.curve(), [
    { at: 1, value: (0.4 + 0.2) / 2 },
    { at: 2, value: 0.3 },
  ]);
  assert.deepEqual(table.curve([0, 2]), [{ at: 1, value: 0.2 }]);
  const weights = table.resample(bootstrapRng(5));
  assert.equal(
    weights.reduce((a, b) => a + b, 0),
    2,
  );
});

test('quantile interpolates between order statistics, in log space on a log axis', () => {
  assert.equal(quantile([1, 2, 3, 4, 5], 0.5), 3);
  assert.equal(quantile([0, 10], 0.25), 2.5);
  assert.ok(Math.abs(quantile([1, 100], 0.5, 'log') - 10) < 1e-12);
});

// Every seed's curve is the true curve plus independent noise per cell.
function simulate(truth: number[], seeds: number, sd: number, rng: ReturnType<typeof bootstrapRng>) {
  const cells: SeedValue[] = [];
  for (let s = 0; s < seeds; s++) {
    truth.forEach((v, i) => cells.push({ at: SNRS[i], seed: s, value: v + sd * rng.normal() }));
  }
  return cells;
}

test('crossingInterval is reproducible: the same seed gives the same interval, another seed another', () => {
  const cells = simulate(N64, 6, 0.08, bootstrapRng(1));
  const options = { threshold: 0.25, scale: 'log' as const, resamples: 1000 };
  const a = crossingInterval(cells, { ...options, seed: 7 });
  assert.deepEqual(crossingInterval(cells, { ...options, seed: 7 }), a);
  assert.notDeepEqual(crossingInterval(cells, { ...options, seed: 8 }).ci95, a.ci95);
  assert.equal(a.seeds, 6);
  assert.equal(a.resamples, 1000);
  assert.ok(a.ci95![0] <= a.crossing! && a.crossing! <= a.ci95![1]);
  assert.throws(() => crossingInterval(cells, { ...options, resamples: 999 }), /at least 1000/);
});

test('crossingInterval covers the true crossing at roughly the nominal 95% in simulation', () => {
  // A smooth fall through the threshold, so that noise moves the crossing between several grid points.
  const truth = SNRS.map((snr) => 0.5 / (1 + (snr / 0.35) ** 4));
  const trueCrossing = firstCrossing(
    SNRS.map((at, i) => ({ at, value: truth[i] })),
    0.25,
    'log',
  )!;
  const rng = bootstrapRng(2024);
  const runs = 200;
  let covered = 0;
  for (let r = 0; r < runs; r++) {
    const cells = simulate(truth, 12, 0.1, rng);
    const { ci95 } = crossingInterval(cells, { threshold: 0.25, scale: 'log', resamples: 1000, seed: r });
    if (ci95 && ci95[0] <= trueCrossing && trueCrossing <= ci95[1]) covered++;
  }
  const rate = covered / runs;
  // Binomial sd at 95% over 200 runs is 1.5%; the percentile bootstrap runs a little narrow at 12 seeds.
  assert.ok(rate >= 0.86 && rate <= 0.99, `coverage ${rate}`);
});

test("the issue's example, n = 4 with 2 seeds: a bracket 0.01 wide, an interval that shows the spread", () => {
  const snrs = [0.3, 0.4, 0.5, 0.51, 0.6, 0.8];
  const seed0 = [0.48, 0.45, 0.43, 0.43, 0.43, 0.0];
  const seed1 = [0.45, 0.35, 0.2, 0.0, 0.0, 0.0];
  const cells: SeedValue[] = snrs.flatMap((at, i) => [
    { at, seed: 0, value: seed0[i] },
    { at, seed: 1, value: seed1[i] },
  ]);
  const result = crossingInterval(cells, { threshold: 0.25, scale: 'log' });
  const [bracket] = curveCrossings(new SeedTable(cells).curve(), 0.25, 'log');
  assert.deepEqual([bracket.low, bracket.high], [0.5, 0.51]);
  assert.ok(result.crossing! > 0.5 && result.crossing! < 0.51);
  const [low, high] = result.ci95!;
  // Seed 1 alone crosses between 0.4 and 0.5, seed 0 alone between 0.6 and 0.8.
  assert.ok(low > 0.4 && low < 0.5, `low ${low}`);
  assert.ok(high > 0.6 && high < 0.8, `high ${high}`);
  assert.equal(result.noCrossing, 0);
});

test('crossingInterval: no interval below two seeds or without a crossing; off-grid resamples counted', () => {
  const one = SNRS.map((at, i) => ({ at, seed: 0, value: N64[i] }));
  const single = crossingInterval(one, { threshold: 0.25, scale: 'log' });
  assert.equal(single.ci95, null);
  assert.ok(single.crossing !== null);
  // One seed: every resample is that seed's curve, crossing where it does (no resampling needed).
  assert.deepEqual([single.seeds, single.noCrossing, single.resamples], [1, 0, 2000]);
  const oneFlat = crossingInterval(
    SNRS.map((at) => ({ at, seed: 0, value: 0.5 })),
    { threshold: 0.25, scale: 'log' },
  );
  assert.deepEqual([oneFlat.crossing, oneFlat.noCrossing], [null, 2000]);
  assert.equal(crossingInterval([], { threshold: 0.25, scale: 'log' }).noCrossing, 2000);
  const flat = [0, 1].flatMap((seed) => SNRS.map((at) => ({ at, seed, value: 0.5 })));
  assert.deepEqual(crossingInterval(flat, { threshold: 0.25, scale: 'log' }), {
    crossing: null,
    crossings: 0,
    ci95: null,
    seeds: 2,
    resamples: 2000,
    noCrossing: 2000,
    // Without a crossing, every resample stays on the side the curve starts on: counted past the high end.
    pastEnds: { low: 0, high: 2000 },
  });
  // One of two seeds never crosses inside the grid: a quarter of the resamples draw it twice.
  const halfOff = [
    ...SNRS.map((at, i) => ({ at, seed: 0, value: N64[i] })),
    ...SNRS.map((at) => ({ at, seed: 1, value: 0.3 })),
  ];
  const r = crossingInterval(halfOff, { threshold: 0.2, scale: 'log' });
  assert.ok(r.noCrossing > 400 && r.noCrossing < 600, `${r.noCrossing}`);
  assert.equal(r.ci95![1], SNRS[SNRS.length - 1]);
});

test('crossingInterval: which end each resample without a crossing points past', () => {
  const seed0 = SNRS.map((at, i) => ({ at, seed: 0, value: N64[i] }));
  // The seed-mean error falls through 0.2; seed 1 stays above it over the whole axis: a resample of
  // seed 1 alone crosses past the highest SNR.
  const above = crossingInterval([...seed0, ...SNRS.map((at) => ({ at, seed: 1, value: 0.3 }))], {
    threshold: 0.2,
    scale: 'log',
  });
  assert.ok(above.noCrossing > 0);
  assert.deepEqual(above.pastEnds, { low: 0, high: above.noCrossing });
  // Seed 1 below it everywhere: its resample crossed before the lowest SNR.
  const below = crossingInterval([...seed0, ...SNRS.map((at) => ({ at, seed: 1, value: 0.1 }))], {
    threshold: 0.2,
    scale: 'log',
  });
  assert.ok(below.noCrossing > 0);
  assert.deepEqual(below.pastEnds, { low: below.noCrossing, high: 0 });
  // The interval's low end on the lowest SNR (up to the log-space quantile's rounding).
  assert.ok(Math.abs(below.ci95![0] - SNRS[0]) < 1e-12, `${below.ci95}`);
  // Every resample crosses inside the axis: none past either end.
  const both = crossingInterval([...seed0, ...SNRS.map((at, i) => ({ at, seed: 1, value: N64[i] + 0.01 }))], {
    threshold: 0.2,
    scale: 'log',
  });
  assert.deepEqual([both.noCrossing, both.pastEnds], [0, { low: 0, high: 0 }]);
});

test("SeedTable.crossingOf is firstCrossing of the resampled curve, the bootstrap's fast path", () => {
  const rng = bootstrapRng(9);
  const truth = SNRS.map((snr) => 0.5 / (1 + (snr / 0.35) ** 4));
  for (let k = 0; k < 50; k++) {
    const cells = simulate(truth, 5, 0.15, rng).map((c) => (rng.uniform() < 0.1 ? { ...c, value: null } : c));
    const table = new SeedTable(cells);
    for (let b = 0; b < 20; b++) {
      const weights = table.resample(rng);
      const curve = table.curve(weights);
      const fast = table.crossingOf(weights, 0.25, 'log');
      assert.equal(fast.at, firstCrossing(curve, 0.25, 'log'));
      assert.equal(fast.startsAbove, curve.length === 0 ? null : curve[0].value >= 0.25);
    }
  }
});
