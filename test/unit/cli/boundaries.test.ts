import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundariesJson, boundarySlopes, renderBoundaries } from '../../../cli/views/boundaries.ts';
import { refineStatus } from '../../../cli/views/refine-progress.ts';
import type { BoundaryRecord } from '../../../store/boundaries.ts';

function record(
  n: number,
  crossing: number | null,
  kind: BoundaryRecord['kind'] = 'crossing',
): BoundaryRecord {
  return {
    sweep_id: 's',
    group_key: `g${n}`,
    group_values: { method: 'supervised', n_labels: n },
    axis: 'snr',
    metric: 'test_error',
    threshold: 0.25,
    kind,
    crossing,
    bracket_low: crossing === null ? null : crossing * 0.99,
    bracket_high: crossing === null ? null : crossing * 1.01,
    crossings: crossing === null ? 0 : kind === 'non_monotone' ? 3 : 1,
    open_brackets: 0,
    brackets: [],
    range_low: 0.1,
    range_high: 1,
    rounds: 6,
    cells: 20,
    traced: false,
    updated_at: new Date(0),
  };
}

// n * SNR*^3 = 2 exactly, and a row with no crossing.
const RECORDS = [4, 16, 64]
  .map((n) => record(n, (2 / n) ** (1 / 3)))
  .concat([record(256, null, 'all_below')]);

test('boundariesJson: one object per group with its axis values by name', () => {
  const json = boundariesJson(RECORDS);
  assert.equal(json.length, 4);
  assert.equal(json[0].n_labels, 4);
  assert.equal(json[0].method, 'supervised');
  assert.deepEqual(json[0].bracket, [RECORDS[0].bracket_low, RECORDS[0].bracket_high]);
  assert.deepEqual([json[0].rounds, json[0].cells], [6, 20]);
  assert.equal(json[3].crossing, null);
  assert.equal(json[3].bracket, null);
  assert.equal(json[3].kind, 'all_below');
});

test('boundarySlopes: the exact n * SNR^3 line fits -1/3 with a tight CI, next to the theory', () => {
  const [fit] = boundarySlopes(RECORDS, 3);
  assert.equal(fit.groups, 3);
  assert.equal(fit.x_axis, 'n_labels');
  assert.ok(Math.abs(fit.slope + 1 / 3) < 1e-9);
  assert.ok(fit.ci95![0] <= fit.slope && fit.slope <= fit.ci95![1]);
  assert.ok(Math.abs(fit.theory_slope! + 1 / 3) < 1e-12);
  // q = 2 has no theory line (paper-spec gives none between 1 and 2 exclusive of the q > 2 case).
  assert.equal(boundarySlopes(RECORDS, 2)[0].theory_slope, null);
});

test('renderBoundaries names rows without a crossing and flags non-monotone ones', () => {
  const text = renderBoundaries(
    [...RECORDS, { ...record(512, 0.2, 'non_monotone') }],
    boundarySlopes(RECORDS, 3),
  );
  assert.match(text, /n_labels=256 +no boundary in range: test_error < 0.25 over 0.1..1/);
  assert.match(text, /non-monotone: 3 crossings/);
  assert.match(text, /slope d log snr\* \/ d log n_labels \[method=supervised\]: -0.333 \(95% CI/);
});

test('refineStatus: round, open brackets and cells per round; nothing without refine', () => {
  assert.equal(refineStatus({ refine: null }), '');
  const line = refineStatus({
    refine: {
      round: 2,
      max_rounds: 8,
      open_brackets: 1,
      brackets: [{ group: { method: 'supervised', n_labels: 16 }, low: 0.3831, high: 0.4642 }],
      cells_per_round: [16, 4, 4],
    },
  });
  assert.equal(line, 'round 2/8, 1 bracket open (n_labels=16 [0.383, 0.464]), cells per round 16+4+4');
});
