import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  axisMeans,
  axisScale,
  innerValues,
  planGroup,
  type Observation,
  type RefineSettings,
} from '../../../sweep/refine-plan.ts';
import { fitSlope } from '../../../sweep/boundary-slope.ts';
import { geomspace, linspace } from '../../../sweep/values.ts';

const LOG: RefineSettings = { threshold: 0.25, resolution: 0.01, points: 1, scale: 'log', integer: false };
const LINEAR: RefineSettings = { ...LOG, scale: 'linear', resolution: 0.05 };

// Two seeds per value, both with the given metric.
function twoSeeds(values: number[], metric: (x: number) => number | null): Observation[] {
  return values.flatMap((value) => [
    { value, metric: metric(value) },
    { value, metric: metric(value) },
  ]);
}

// A step from 0.5 to 0 at `at`, as the test error of one supervised row.
const step = (at: number) => (x: number) => (x < at ? 0.5 : 0);

// Runs rounds of the planner against `metric` as the real workflow does, adding the planned values.
function bisect(start: number[], metric: (x: number) => number, settings: RefineSettings) {
  let values = [...start];
  let rounds = 0;
  for (;;) {
    const plan = planGroup(twoSeeds(values, metric), settings);
    if (plan.newValues.length === 0) return { plan, values, rounds };
    for (const v of plan.newValues) assert.ok(!values.includes(v), `round ${rounds} repeats ${v}`);
    values = [...values, ...plan.newValues];
    rounds++;
    assert.ok(rounds < 50, 'bisection does not end');
  }
}

test('axisScale: log when every value is positive, linear otherwise', () => {
  assert.equal(axisScale(geomspace(0.1, 1, 4)), 'log');
  assert.equal(axisScale([0, 0.5, 1]), 'linear');
  assert.equal(axisScale([-1, 1]), 'linear');
});

test('a monotone row: one bracket at the crossing, bisected geometrically until narrower than the resolution', () => {
  const grid = geomspace(0.1, 1, 4);
  const first = planGroup(twoSeeds(grid, step(0.3)), LOG);
  assert.equal(first.kind, 'crossing');
  assert.equal(first.brackets.length, 1);
  const [b] = first.brackets;
  assert.equal(b.low, grid[1]);
  assert.equal(b.high, grid[2]);
  assert.ok(b.open);
  assert.ok(Math.abs(b.width - Math.log10(grid[2] / grid[1])) < 1e-12);
  // The geometric midpoint, not the arithmetic one.
  assert.equal(first.newValues.length, 1);
  assert.ok(Math.abs(first.newValues[0] - Math.sqrt(grid[1] * grid[2])) < 1e-9);

  const { plan, rounds, values } = bisect(grid, step(0.3), LOG);
  assert.equal(plan.kind, 'crossing');
  const last = plan.brackets[0];
  assert.ok(!last.open);
  assert.ok(last.width <= LOG.resolution, `width ${last.width}`);
  assert.ok(last.low < 0.3 && last.high >= 0.3, `[${last.low}, ${last.high}]`);
  assert.ok(last.crossing >= last.low && last.crossing <= last.high);
  // log10(1/0.1)/3 = 0.33 wide at first: halving reaches 0.01 after 6 rounds, one value each.
  assert.equal(rounds, 6);
  assert.equal(values.length, 4 + 6);
});

test('the crossing is interpolated log-linearly between the bracket ends', () => {
  const plan = planGroup(
    [
      { value: 0.1, metric: 0.45 },
      { value: 0.4, metric: 0.05 },
    ],
    LOG,
  );
  const t = (0.45 - 0.25) / (0.45 - 0.05);
  const expected = Math.exp(Math.log(0.1) + t * (Math.log(0.4) - Math.log(0.1)));
  assert.ok(Math.abs(plan.brackets[0].crossing - expected) < 1e-10);
  assert.equal(plan.newValues[0], 0.2);
});

test('a non-monotone row: every crossing is refined and the row is flagged', () => {
  const bump = (x: number) => (x < 0.2 || (x > 0.4 && x < 0.6) ? 0.5 : 0);
  const grid = geomspace(0.1, 1, 8);
  const first = planGroup(twoSeeds(grid, bump), LOG);
  assert.equal(first.kind, 'non_monotone');
  assert.equal(first.brackets.length, 3);
  assert.equal(first.newValues.length, 3);
  first.brackets.forEach((b, i) => assert.ok(first.newValues[i] > b.low && first.newValues[i] < b.high));

  const { plan } = bisect(grid, bump, LOG);
  assert.equal(plan.kind, 'non_monotone');
  const edges = [0.2, 0.4, 0.6];
  plan.brackets.forEach((b, i) => {
    assert.ok(b.width <= LOG.resolution);
    assert.ok(b.low <= edges[i] && b.high >= edges[i], `bracket ${i}: [${b.low}, ${b.high}]`);
  });
});

test('no crossing: nothing to add, and the side the row lies on', () => {
  const grid = geomspace(0.1, 1, 4);
  const high = planGroup(
    twoSeeds(grid, () => 0.5),
    LOG,
  );
  assert.equal(high.kind, 'all_above');
  assert.deepEqual(high.newValues, []);
  assert.deepEqual(high.range, [0.1, 1]);
  const low = planGroup(
    twoSeeds(grid, () => 0),
    LOG,
  );
  assert.equal(low.kind, 'all_below');
  assert.deepEqual(low.brackets, []);
  const none = planGroup(
    twoSeeds(grid, () => null),
    LOG,
  );
  assert.equal(none.kind, 'no_data');
  assert.equal(none.range, null);
});

test('a mean exactly at the threshold counts as above it', () => {
  const at = planGroup(
    [
      { value: 0.1, metric: 0.5 },
      { value: 0.2, metric: 0.25 },
      { value: 0.4, metric: 0 },
    ],
    LOG,
  );
  assert.equal(at.kind, 'crossing');
  assert.equal(at.brackets[0].low, 0.2);
  assert.equal(at.brackets[0].high, 0.4);
  // The crossing is the end that sits on the threshold.
  assert.equal(at.brackets[0].crossing, 0.2);
  const flat = planGroup(
    twoSeeds([0.1, 0.2], () => 0.25),
    LOG,
  );
  assert.equal(flat.kind, 'all_above');
});

test('a linear axis is bisected arithmetically, also through zero and negative values', () => {
  const grid = linspace(-1, 1, 5);
  const first = planGroup(twoSeeds(grid, step(0.3)), LINEAR);
  assert.deepEqual([first.brackets[0].low, first.brackets[0].high], [0, 0.5]);
  assert.deepEqual(first.newValues, [0.25]);
  // Linear interpolation: 0.5 -> 0 over [0, 0.5] reaches 0.25 half way.
  assert.equal(first.brackets[0].crossing, 0.25);
  const { plan } = bisect(grid, step(0.3), LINEAR);
  const b = plan.brackets[0];
  assert.ok(b.high - b.low <= LINEAR.resolution && b.low < 0.3 && b.high >= 0.3);
});

test('a whole-number axis gets rounded values and closes when no whole number is left inside', () => {
  const settings: RefineSettings = { ...LOG, integer: true, resolution: 0.001 };
  const { plan, values } = bisect([4, 8, 16, 32], step(11), settings);
  const b = plan.brackets[0];
  assert.deepEqual([b.low, b.high], [10, 11]);
  assert.ok(!b.open);
  assert.ok(values.every(Number.isInteger));
});

test('seeds are averaged; a tie between two seeds on either side of the threshold is a mean at it', () => {
  const obs: Observation[] = [
    { value: 0.1, metric: 0.5 },
    { value: 0.1, metric: 0.5 },
    { value: 0.2, metric: 0.5 },
    { value: 0.2, metric: 0 },
    { value: 0.4, metric: 0 },
    { value: 0.4, metric: null },
  ];
  assert.deepEqual(axisMeans(obs), [
    { value: 0.1, mean: 0.5, seeds: 2 },
    { value: 0.2, mean: 0.25, seeds: 2 },
    { value: 0.4, mean: 0, seeds: 1 },
  ]);
  const plan = planGroup(obs, LOG);
  assert.equal(plan.kind, 'crossing');
  assert.deepEqual([plan.brackets[0].low, plan.brackets[0].high], [0.2, 0.4]);
  // Seeds that disagree are averaged before the threshold is applied: 0.375 and 0.225 bracket it.
  const split = planGroup(
    [
      { value: 0.2, metric: 0.5 },
      { value: 0.2, metric: 0.25 },
      { value: 0.4, metric: 0.25 },
      { value: 0.4, metric: 0.2 },
    ],
    LOG,
  );
  assert.deepEqual([split.brackets[0].low, split.brackets[0].high], [0.2, 0.4]);
  const expected = 0.2 * 2 ** ((0.375 - 0.25) / (0.375 - 0.225));
  assert.ok(Math.abs(split.brackets[0].crossing - expected) < 1e-10);
});

test('points > 1 adds that many evenly spaced values per bracket and needs fewer rounds', () => {
  assert.deepEqual(innerValues(0.1, 0.8, 2, 'log', false), [0.2, 0.4]);
  assert.deepEqual(innerValues(0, 1, 3, 'linear', false), [0.25, 0.5, 0.75]);
  const three = { ...LOG, points: 3 };
  const first = planGroup(twoSeeds(geomspace(0.1, 1, 4), step(0.3)), three);
  assert.equal(first.newValues.length, 3);
  const one = bisect(geomspace(0.1, 1, 4), step(0.3), LOG);
  const many = bisect(geomspace(0.1, 1, 4), step(0.3), three);
  assert.ok(many.rounds < one.rounds, `${many.rounds} rounds vs ${one.rounds}`);
  const b = many.plan.brackets[0];
  assert.ok(b.width <= three.resolution && b.low < 0.3 && b.high >= 0.3);
});

test('fitSlope: exact power law has a zero-width interval; noise widens it around the slope', () => {
  const exact = [4, 8, 16, 32].map((n) => ({ x: n, y: 2 * n ** (-1 / 3) }));
  const fit = fitSlope(exact);
  assert.ok(Math.abs(fit.slope + 1 / 3) < 1e-12);
  assert.ok(Math.abs(fit.high! - fit.low!) < 1e-9);
  const noisy = [4, 8, 16, 32, 64].map((n, i) => ({ x: n, y: 2 * n ** (-1 / 3) * (i % 2 ? 1.05 : 0.95) }));
  const wide = fitSlope(noisy);
  assert.ok(wide.low! < wide.slope && wide.slope < wide.high!);
  assert.ok(wide.low! < -1 / 3 && -1 / 3 < wide.high!, `${wide.low} .. ${wide.high}`);
  // Two points: a slope but no interval.
  const two = fitSlope(exact.slice(0, 2));
  assert.equal(two.low, null);
  assert.equal(two.points, 2);
});
