import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planFromMeans, withWindowIntervals, type PointMean } from '../../../sweep/boundary-window.ts';
import { sweepBoundarySpec } from '../../../sweep/boundary-estimate.ts';
import { expandCells } from '../../../sweep/cells.ts';
import { bootstrapRng } from '../../../sweep/crossing-interval.ts';
import { planRound, type RoundObservation } from '../../../sweep/refine-round.ts';
import { parseSpecText } from '../../../sweep/spec.ts';

// A sweep without refine: 4 rows x 12 SNRs x 8 seeds, each seed's error a smooth fall through
// SNR* = (1.4 / n)^(1/3) plus noise, except at n = 1, whose error stays near 0.5 (no crossing).
const SWEEP = parseSpecText(
  `
name: window
method: supervised
grid:
  n_labels: [1, 4, 32, 256]
  snr: { geomspace: [0.05, 2, 12] }
  seed: { range: [0, 8] }
`,
  'window.yaml',
);
const SPEC = sweepBoundarySpec(SWEEP)!;

function observations(): RoundObservation[] {
  const rng = bootstrapRng(5);
  return expandCells(SWEEP).map((c) => {
    const star = (1.4 / c.params.n_labels) ** (1 / 3);
    return {
      params: c.params,
      round: 0,
      metric: (c.params.n_labels === 1 ? 0.5 : 0.5 / (1 + (c.params.snr / star) ** 6)) + 0.03 * rng.normal(),
    };
  });
}

// What the grid-point tallies hold: per point, its cells and the seed mean.
function tallies(obs: RoundObservation[]): PointMean[] {
  const points = new Map<string, PointMean & { sum: number }>();
  for (const o of obs) {
    const key = `${o.params.n_labels}@${o.params.snr}`;
    const p = points.get(key) ?? {
      pointKey: key,
      params: { ...o.params, seed: 0 },
      cells: 0,
      values: 0,
      mean: null,
      sum: 0,
    };
    p.cells++;
    if (o.metric !== null) {
      p.sum += o.metric;
      p.values++;
    }
    p.mean = p.values > 0 ? p.sum / p.values : null;
    points.set(key, p);
  }
  return [...points.values()].map(({ sum: _s, ...p }) => p);
}

test('from seed means and the cells beside each crossing: the boundaries every cell gives', () => {
  const obs = observations();
  const points = tallies(obs);
  const { boundaries, windowKeys } = planFromMeans(SPEC, points);
  // At most the bracket and one value on either side, per group with a crossing: 4 of its 12 points.
  assert.ok(windowKeys.length <= 3 * 4, `${windowKeys.length} window points`);
  const keys = new Set(windowKeys);
  const window = obs.filter((o) => keys.has(`${o.params.n_labels}@${o.params.snr}`));
  const fromWindow = withWindowIntervals(SPEC, points, boundaries, window);
  const full = planRound(SPEC, obs, false).boundaries;
  assert.deepEqual(
    fromWindow.map((b) => b.kind),
    ['all_above', 'crossing', 'crossing', 'crossing'],
  );
  fromWindow.forEach((b, i) => {
    const f = full[i];
    assert.deepEqual(
      [b.groupKey, b.kind, b.bracket, b.cells, b.seeds],
      [f.groupKey, f.kind, f.bracket, f.cells, f.seeds],
    );
    if (f.crossing === null) assert.equal(b.crossing, null);
    else assert.ok(Math.abs(b.crossing! - f.crossing) < 1e-12, `${b.crossing} vs ${f.crossing}`);
    // The same resamples (same seeds, same generator): their crossings all fall inside the window.
    assert.deepEqual(b.ci95, f.ci95);
    assert.equal(b.interval.noCrossing, f.interval.noCrossing);
  });
});
