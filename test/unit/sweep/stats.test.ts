import assert from 'node:assert/strict';
import { test } from 'node:test';
import ttest2 from '@stdlib/stats-ttest2';
import fc from 'fast-check';
import { benjaminiHochberg, mean, tQuantile, welchTest } from '../../../sweep/stats.ts';

function summarize(values: number[]) {
  const n = values.length;
  const m = mean(values);
  const sd = n < 2 ? null : Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1));
  return { n, mean: m, sd };
}

test('mean', () => {
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  assert.ok(Number.isNaN(mean([])));
});

const sample = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 12 });

test("Welch's test from summaries agrees with a two-sample t-test on the raw values", () => {
  fc.assert(
    fc.property(sample, sample, (x, y) => {
      const ours = welchTest(summarize(x), summarize(y));
      assert.ok(ours);
      fc.pre(summarize(x).sd! > 1e-6 && summarize(y).sd! > 1e-6);
      const ref = ttest2(y, x, { variance: 'unequal' });
      assert.ok(Math.abs(ours.p - ref.pValue) < 1e-9, `p ${ours.p} vs ${ref.pValue}`);
      assert.ok(Math.abs(ours.df - ref.df) < 1e-6 * ref.df, `df ${ours.df} vs ${ref.df}`);
      assert.ok(Math.abs(ours.t - ref.statistic) < 1e-9 * Math.max(1, Math.abs(ref.statistic)));
    }),
  );
});

test("Welch's test needs two values a side; without spread the data are exact", () => {
  assert.equal(welchTest({ n: 1, mean: 0.5, sd: null }, { n: 4, mean: 0.5, sd: 0.1 }), null);
  assert.equal(welchTest({ n: 3, mean: 0, sd: 0 }, { n: 3, mean: 0, sd: 0 })!.p, 1);
  assert.equal(welchTest({ n: 3, mean: 0, sd: 0 }, { n: 3, mean: 0.2, sd: 0 })!.p, 0);
  // Identical samples: no evidence of a change.
  assert.equal(welchTest({ n: 4, mean: 0.5, sd: 0.02 }, { n: 4, mean: 0.5, sd: 0.02 })!.p, 1);
});

test('Benjamini-Hochberg adjusted p-values, in input order', () => {
  // Worked example: sorted p (0.008, 0.03, 0.123, 0.2, 0.6) times m/rank, then running minimum from the top.
  const q = benjaminiHochberg([0.008, 0.03, 0.123, 0.6, 0.2]);
  const expected = [0.04, 0.075, 0.205, 0.6, 0.25];
  q.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `${i}: ${v}`));
  assert.deepEqual(benjaminiHochberg([]), []);
});

test('Student t quantiles match the tables', () => {
  // t(0.975, df) from standard tables.
  const table: [number, number][] = [
    [1, 12.706204736],
    [2, 4.30265273],
    [4, 2.776445105],
    [30, 2.042272456],
    [1000, 1.962339081],
  ];
  for (const [df, expected] of table) assert.ok(Math.abs(tQuantile(0.975, df) - expected) < 1e-7, `df=${df}`);
  assert.ok(Math.abs(tQuantile(0.025, 5) + tQuantile(0.975, 5)) < 1e-12);
  assert.throws(() => tQuantile(1, 3), RangeError);
});
