import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitLogLog, theoryConstant } from '../../../sweep/boundary.ts';
import { firstCrossing, type CurvePoint, type CrossingScale } from '../../../sweep/crossing-interval.ts';

const boundaryCrossing = (points: CurvePoint[], threshold = 0.25, scale: CrossingScale = 'log') =>
  firstCrossing(points, threshold, scale);
import { geomspace } from '../../../sweep/values.ts';

// paper-spec 6.1: mean test error of the calibrated default grid, SNR = geomspace(0.1, 1, 10).
const SNRS = geomspace(0.1, 1, 10);
const TABLE: Record<number, number[]> = {
  4: [0.49, 0.49, 0.49, 0.49, 0.48, 0.44, 0.35, 0.26, 0.0, 0.0],
  16: [0.5, 0.5, 0.5, 0.5, 0.5, 0.47, 0.11, 0.0, 0.0, 0.0],
  64: [0.48, 0.48, 0.48, 0.48, 0.48, 0.24, 0.0, 0.0, 0.0, 0.0],
  256: [0.52, 0.52, 0.52, 0.04, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
};
const row = (n: number) => SNRS.map((snr, i) => ({ at: snr, value: TABLE[n][i] }));

test('boundaryCrossing interpolates in log SNR between the grid points around the crossing', () => {
  // The spec's boundaries (first SNR below 0.25) are 0.77, 0.46, 0.36, 0.22 for these rows; the
  // interpolated crossing lies between that grid point and the one before it.
  const expectedFirstBelow: Record<number, number> = { 4: 8, 16: 6, 64: 5, 256: 3 };
  for (const n of [4, 16, 64, 256]) {
    const star = boundaryCrossing(row(n));
    assert.ok(star !== null);
    const i = expectedFirstBelow[n];
    assert.ok(star > SNRS[i - 1] && star <= SNRS[i], `n=${n}: ${star}`);
  }
  // n = 64: errors 0.48 then 0.24, so t = 0.23 / 0.24 of the way in log SNR.
  const expected = Math.exp(Math.log(SNRS[4]) + (0.23 / 0.24) * (Math.log(SNRS[5]) - Math.log(SNRS[4])));
  assert.ok(Math.abs(boundaryCrossing(row(64))! - expected) < 1e-12);
});

test('boundaryCrossing finds a rising metric too, interpolating linearly on a linear axis', () => {
  const alignment = [0, 0.25, 0.5, 0.75, 1].map((at, i) => ({ at, value: [0.1, 0.2, 0.4, 0.9, 1][i]! }));
  assert.ok(Math.abs(boundaryCrossing(alignment, 0.3, 'linear')! - 0.375) < 1e-12);
  assert.equal(boundaryCrossing(alignment, 0.05, 'linear'), null);
});

test('boundaryCrossing is null without a crossing, and ignores point order', () => {
  assert.equal(boundaryCrossing(SNRS.map((snr) => ({ at: snr, value: 0.5 }))), null);
  assert.equal(boundaryCrossing(SNRS.map((snr) => ({ at: snr, value: 0 }))), null);
  assert.equal(boundaryCrossing([]), null);
  assert.equal(boundaryCrossing([...row(16)].reverse()), boundaryCrossing(row(16)));
  assert.equal(
    boundaryCrossing([
      { at: 0, value: 0.5 },
      { at: 0.3, value: 0 },
    ]),
    0.3,
  );
});

test('the log-log slope of the spec 6.1 boundaries is about -0.29 and n SNR*^3 stays within a factor 4', () => {
  const ns = [4, 8, 16, 32, 64, 128, 256];
  const stars = [0.77, 0.6, 0.46, 0.36, 0.36, 0.28, 0.22];
  const fit = fitLogLog(ns.map((x, i) => ({ x, y: stars[i] })));
  assert.ok(Math.abs(fit.slope - -0.29) < 0.01, `slope ${fit.slope}`);
  assert.ok(fit.r2 > 0.95 && fit.r2 <= 1);
  const constants = ns.map((n, i) => theoryConstant(n, stars[i], 3));
  assert.ok(Math.max(...constants) / Math.min(...constants) < 4);

  // From the interpolated boundaries of the four tabulated rows: within paper-spec 6.5 item 8.
  const interpolated = [4, 16, 64, 256].map((n) => ({ x: n, y: boundaryCrossing(row(n))! }));
  const slope = fitLogLog(interpolated).slope;
  assert.ok(slope >= -0.5 && slope <= -0.15, `slope ${slope}`);
});

test('fitLogLog recovers an exact power law and refuses degenerate input', () => {
  const fit = fitLogLog([1, 2, 4, 8].map((x) => ({ x, y: 3 * x ** -0.5 })));
  assert.ok(Math.abs(fit.slope + 0.5) < 1e-12);
  assert.ok(Math.abs(fit.intercept - Math.log(3)) < 1e-12);
  assert.ok(Math.abs(fit.r2 - 1) < 1e-12);
  assert.throws(() => fitLogLog([{ x: 1, y: 1 }]), RangeError);
  assert.throws(
    () =>
      fitLogLog([
        { x: 1, y: 0 },
        { x: 2, y: 1 },
      ]),
    RangeError,
  );
  assert.equal(theoryConstant(4, 0.5, 3), 0.5);
});
