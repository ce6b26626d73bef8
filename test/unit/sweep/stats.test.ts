import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mean, sampleSd, summarize } from '../../../sweep/stats.ts';
import { studentTCdf, studentTQuantile } from '../../../sweep/student-t.ts';

// Reference values: t(0.975, df) from standard tables (scipy.stats.t.ppf).
const T975: [number, number][] = [
  [1, 12.706204736],
  [2, 4.30265273],
  [3, 3.182446305],
  [4, 2.776445105],
  [9, 2.262157163],
  [10, 2.228138852],
  [29, 2.045229642],
  [30, 2.042272456],
  [1000, 1.962339081],
];

test('Student t quantiles match the tables', () => {
  for (const [df, expected] of T975) {
    assert.ok(
      Math.abs(studentTQuantile(0.975, df) - expected) < 1e-7,
      `df=${df}: ${studentTQuantile(0.975, df)}`,
    );
  }
  assert.ok(Math.abs(studentTQuantile(0.025, 5) + studentTQuantile(0.975, 5)) < 1e-12);
  assert.ok(Math.abs(studentTCdf(0, 3) - 0.5) < 1e-15);
  assert.throws(() => studentTQuantile(1, 3), RangeError);
});

test('mean, sample sd and the 95% interval', () => {
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  assert.ok(Math.abs(sampleSd([1, 2, 3, 4]) - Math.sqrt(5 / 3)) < 1e-15);
  assert.ok(Number.isNaN(sampleSd([1])));
  const s = summarize([0.5, 0.48]);
  assert.equal(s.n, 2);
  assert.ok(Math.abs(s.mean - 0.49) < 1e-15);
  // sd = 0.0141421..., half-width = 12.7062 * sd / sqrt(2) = 0.127062
  assert.ok(Math.abs(s.halfWidth - 0.12706204736) < 1e-8);
  assert.ok(Math.abs(s.low - (0.49 - s.halfWidth)) < 1e-15);
  assert.ok(Number.isNaN(summarize([0.3]).halfWidth));
});
