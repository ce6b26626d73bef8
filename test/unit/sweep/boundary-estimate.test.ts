import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootstrapRng } from '../../../sweep/crossing-interval.ts';
import { estimateBoundaries, sweepBoundarySpec } from '../../../sweep/boundary-estimate.ts';
import { expandCells } from '../../../sweep/cells.ts';
import { compareGroups } from '../../../sweep/group-order.ts';
import {
  groupKeyOf,
  planRound,
  type RefinedSpec,
  type RoundObservation,
} from '../../../sweep/refine-round.ts';
import { parseSpecText } from '../../../sweep/spec.ts';
import { METHOD } from '../../../trainer/index.ts';

const SPEC = parseSpecText(
  `
name: estimate
method: [supervised]
grid:
  n_labels: [4, 16, 64, 256]
  snr: { geomspace: [0.1, 1, 10] }
  seed: { range: [0, 6] }
fixed: { q: 3 }
refine: { axis: snr, metric: test_error, threshold: 0.25, resolution: 0.01 }
`,
  'estimate.yaml',
) as RefinedSpec;

// n * SNR*^3 = 1.4: the true slope is -1/3. Each seed's error is a smooth fall through SNR* plus noise.
const star = (n: number) => (1.4 / n) ** (1 / 3);
function observations(seed: number, wobble?: number, sd = 0.04): RoundObservation[] {
  const rng = bootstrapRng(seed);
  return expandCells(SPEC).map((c) => {
    const { n_labels: n, snr } = c.params;
    let metric = 0.5 / (1 + (snr / star(n)) ** 6) + sd * rng.normal();
    // Low, then back above the threshold well below SNR*: a rise and a fall, two crossings.
    if (n === wobble && snr < star(n) / 2) metric = snr < star(n) / 3 ? 0.1 : 0.45;
    return { params: c.params, round: 0, metric };
  });
}

function estimate(obs: RoundObservation[]) {
  const plan = planRound(SPEC, obs, false, { resamples: 1000 });
  return { plan, estimate: estimateBoundaries(SPEC, obs, plan.boundaries, { resamples: 1000 }) };
}

test('every group gets its crossing with a bootstrap interval over its seeds, under the planner key', () => {
  const obs = observations(1);
  const { plan, estimate: e } = estimate(obs);
  assert.deepEqual(
    e.intervals.map((i) => i.groupKey),
    plan.boundaries.map((b) => b.groupKey),
  );
  for (const o of obs) {
    assert.ok(plan.boundaries.some((b) => b.groupKey === groupKeyOf(SPEC, o.params, 'snr')));
  }
  e.intervals.forEach((i, k) => {
    assert.equal(i.crossing, plan.boundaries[k].crossing === null ? null : i.crossing);
    assert.equal(i.seeds, 6);
    assert.ok(i.ci95![0] <= i.crossing! && i.crossing! <= i.ci95![1]);
  });
  assert.deepEqual(estimate(obs).estimate, e, 'the same stored results give the same numbers');
});

test('the slope: OLS through the crossings, its interval from resampling seeds within every group', () => {
  const { estimate: e } = estimate(observations(2));
  assert.equal(e.slopes.length, 1);
  const [s] = e.slopes;
  assert.deepEqual([s.xAxis, s.where, s.groups, s.leftOut], ['n_labels', { method: 'supervised' }, 4, []]);
  assert.ok(Math.abs(s.slope + 1 / 3) < 0.05, `slope ${s.slope}`);
  assert.ok(s.ci95![0] < s.slope && s.slope < s.ci95![1]);
  // The estimator's target: the slope through the noise-free curves' crossings on this grid.
  const target = estimate(observations(0, undefined, 0)).estimate.slopes[0].slope;
  assert.ok(s.ci95![0] < target && target < s.ci95![1], `${target} outside ${s.ci95}`);
  // The OLS interval sees only four nearly collinear points, not the seeds' noise.
  assert.ok(s.ols95 !== null);
  assert.equal(s.resamples, 1000);
});

test('a non-monotone group is flagged and left out of the fit, which says so', () => {
  const { plan, estimate: e } = estimate(observations(3, 16));
  const g64 = plan.boundaries.findIndex((b) => b.group.n_labels === 16);
  assert.equal(plan.boundaries[g64].kind, 'non_monotone');
  assert.equal(e.intervals[g64].crossings, 2);
  const [s] = e.slopes;
  assert.equal(s.groups, 3);
  assert.deepEqual(s.leftOut, [{ x: 16, reason: 'non_monotone' }]);
});

test('compareGroups orders numbers as numbers (n_labels 4, 16, 64), then strings', () => {
  const groups = [16, 4, 64].map((n) => ({ method: 'supervised', n_labels: n }));
  assert.deepEqual(
    groups.sort(compareGroups).map((g) => g.n_labels),
    [4, 16, 64],
  );
  const mixed = [
    { method: 'supervised', n_labels: 4 },
    { method: 'simclr', n_labels: 64 },
  ];
  assert.deepEqual(mixed.sort(compareGroups)[0].method, 'simclr');
});

test('sweepBoundarySpec: a sweep without refine: that scans SNR gets the default SNR boundary, others none', () => {
  assert.equal(sweepBoundarySpec(SPEC), null, 'refine: has its own');
  const plain = { ...SPEC, refine: undefined };
  const scanned = sweepBoundarySpec(plain)!;
  assert.deepEqual(
    [scanned.refine.axis, scanned.refine.metric, scanned.refine.threshold],
    ['snr', 'test_error', 0.25],
  );
  assert.equal(sweepBoundarySpec({ ...plain, grid: { ...plain.grid, snr: [0.5] } }), null);
  const { snr: _snr, ...noSnr } = plain.grid;
  assert.equal(sweepBoundarySpec({ ...plain, grid: noSnr }), null);
  // noop trains nothing: a noop sweep over SNRs (the load benchmark's) has no boundary to read its cells for.
  assert.equal(sweepBoundarySpec({ ...plain, method: [METHOD.noop] }), null);
});

test("the estimate takes every group's interval from the planner: one bootstrap per group per round", () => {
  const obs = observations(3);
  const plan = planRound(SPEC, obs, false, { resamples: 1000 });
  // An interval no bootstrap of these cells gives: the estimate must pass it through, not recompute.
  const marked = plan.boundaries.map((b) => ({
    ...b,
    interval: { ...b.interval, ci95: [0.001, 1000] as [number, number], resamples: 1234 },
  }));
  const e = estimateBoundaries(SPEC, obs, marked, { resamples: 1000 });
  for (const i of e.intervals) assert.deepEqual([i.ci95, i.resamples], [[0.001, 1000], 1234]);
  // The planner's own interval is the bootstrap the stored estimate reports.
  const plain = estimateBoundaries(SPEC, obs, plan.boundaries, { resamples: 1000 });
  plain.intervals.forEach((i, k) => {
    assert.deepEqual(i.ci95, plan.boundaries[k].ci95);
    assert.equal(i.resamples, 1000);
  });
});
