import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  axisLength,
  axisValues,
  geomspace,
  linspace,
  range,
  roundSignificant,
} from '../../../sweep/values.ts';

test('range excludes its stop like Python and tolerates float steps', () => {
  assert.deepEqual(range(0, 2), [0, 1]);
  assert.deepEqual(range(0, 0.3, 0.1), [0, 0.1, 0.2]);
  assert.deepEqual(range(0, 0.7, 0.1), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  assert.deepEqual(range(5, 0, -2), [5, 3, 1]);
  assert.deepEqual(range(2, 0), []);
  assert.equal(axisLength({ range: [0, 1e300, 1e-300] }), Infinity);
});

test('linspace and geomspace hit their endpoints exactly and round the inside values', () => {
  const g = geomspace(0.1, 1, 10);
  assert.equal(g.length, 10);
  assert.equal(g[0], 0.1);
  assert.equal(g[9], 1);
  // 0.1 * 10^(1/9), rounded to 12 significant digits.
  assert.equal(g[1], 0.129154966501);
  assert.deepEqual(geomspace(4, 256, 7), [4, 8, 16, 32, 64, 128, 256]);
  assert.deepEqual(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(linspace(3, 7, 1), [3]);
  assert.deepEqual(linspace(0.1, 0.3, 3), [0.1, 0.2, 0.3]);
});

test('roundSignificant keeps 12 digits and removes negative zero', () => {
  assert.equal(roundSignificant(0.1 + 0.2), 0.3);
  assert.equal(Object.is(roundSignificant(-0), 0), true);
  assert.equal(roundSignificant(123456789.0123456), 123456789.012);
});

test('axisLength equals the number of generated values', () => {
  const axis = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    fc.array(fc.integer(), { minLength: 1, maxLength: 20 }),
    fc
      .tuple(
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: -50, max: 50 }),
        fc.double({ min: 0.1, max: 7, noNaN: true }),
      )
      .map(([a, b, s]) => ({ range: [a, b, b >= a ? s : -s] })),
    fc
      .tuple(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
      )
      .map((t) => ({ linspace: t })),
    fc
      .tuple(
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
      )
      .map((t) => ({ geomspace: t })),
  );
  fc.assert(
    fc.property(axis, (values) => {
      const generated = axisValues(values);
      assert.equal(generated.length, axisLength(values));
      for (const v of generated) assert.ok(Number.isFinite(v));
    }),
  );
});
