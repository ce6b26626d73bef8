import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import type { CellParams } from '../../../trainer/index.ts';
import { planRound, type RefinedSpec } from '../../../sweep/refine-round.ts';
import {
  isNarrow,
  NARROW_MIN_SEEDS,
  planSeeds,
  seedSequence,
  seededValues,
  targetSeeds,
} from '../../../sweep/refine-seeds.ts';
import { parseSpecText } from '../../../sweep/spec.ts';
import { simulateRefine } from '../../helpers/refine-simulate.ts';

const SETTINGS = { max: 32, ciWidth: 0.02, scale: 'log' as const };

test('seededValues: the bracket ends and the values inside the interval, no others', () => {
  const values = [0.1, 0.2, 0.3, 0.31, 0.32, 0.5, 1];
  const bracket = { low: 0.3, high: 0.31 };
  assert.deepEqual(seededValues(values, bracket, [0.3, 0.31]), [0.3, 0.31]);
  // An interval inside the bracket still seeds both ends.
  assert.deepEqual(seededValues(values, bracket, [0.302, 0.305]), [0.3, 0.31]);
  assert.deepEqual(seededValues(values, bracket, [0.25, 0.32]), [0.3, 0.31, 0.32]);
  assert.deepEqual(seededValues(values, bracket, [0.2, 0.5]), [0.2, 0.3, 0.31, 0.32, 0.5]);
  assert.deepEqual(seededValues(values, bracket, null), [0.3, 0.31]);
});

test('targetSeeds: aims at the 1/sqrt(seeds) estimate, at most doubling a round, never past max', () => {
  // Twice the wanted width: four times the seeds wanted, one doubling allowed.
  assert.equal(targetSeeds(2, 0.04, SETTINGS), 4);
  // Just above the width: one more seed is enough by the estimate.
  assert.equal(targetSeeds(8, 0.0201, SETTINGS), 9);
  assert.equal(targetSeeds(20, 1, SETTINGS), 32);
  assert.equal(targetSeeds(32, 1, SETTINGS), 32);
  // No interval (one seed): the second seed first.
  assert.equal(targetSeeds(1, null, SETTINGS), 2);
});

test('seedSequence continues after the largest seed the group has', () => {
  assert.deepEqual(seedSequence([3, 2, 2], 5), [2, 3, 4, 5, 6]);
  assert.deepEqual(seedSequence([0, 1, 7], 2), [0, 1]);
});

test('planSeeds: seeds beside the crossing only, none once the interval is narrow or the cells are full', () => {
  const cells = [0.1, 0.2, 0.3, 0.31, 0.5, 1].flatMap((value) => [0, 1].map((seed) => ({ value, seed })));
  const bracket = { low: 0.3, high: 0.31 };
  assert.deepEqual(planSeeds(cells, bracket, [0.25, 0.4], SETTINGS), [
    { value: 0.3, seeds: [2, 3] },
    { value: 0.31, seeds: [2, 3] },
  ]);
  assert.deepEqual(planSeeds(cells, bracket, [0.2, 0.5], SETTINGS), [
    { value: 0.2, seeds: [2, 3] },
    { value: 0.3, seeds: [2, 3] },
    { value: 0.31, seeds: [2, 3] },
    { value: 0.5, seeds: [2, 3] },
  ]);
  const full = [...cells, ...[0.3, 0.31].flatMap((value) => [2, 3].map((seed) => ({ value, seed })))];
  assert.deepEqual(planSeeds(full, bracket, [0.29, 0.32], { ...SETTINGS, max: 4 }), []);
  // Narrow with four seeds beside the crossing: done.
  assert.deepEqual(planSeeds(full, bracket, [0.302, 0.308], SETTINGS), []);
  // A cell that already has some of the target seeds gets only the rest.
  assert.deepEqual(planSeeds(full, bracket, [0.29, 0.32], { ...SETTINGS, max: 6 }), [
    { value: 0.3, seeds: [4, 5] },
    { value: 0.31, seeds: [4, 5] },
  ]);
});

test('a narrow interval from fewer than NARROW_MIN_SEEDS seeds beside the crossing is not narrow yet', () => {
  assert.equal(NARROW_MIN_SEEDS, 4);
  assert.equal(isNarrow(0.01, 2, SETTINGS), false);
  assert.equal(isNarrow(0.01, 3, SETTINGS), false);
  assert.equal(isNarrow(0.01, 4, SETTINGS), true);
  assert.equal(isNarrow(0.03, 32, SETTINGS), false);
  assert.equal(isNarrow(null, 32, SETTINGS), false);
  // With max below the minimum, max is all a cell can reach.
  assert.equal(isNarrow(0.01, 3, { ...SETTINGS, max: 3 }), true);

  // Two seeds that happen to agree: an interval 0.008 wide, yet both sides go to four seeds.
  const cells = [0.1, 0.2, 0.3, 0.31, 0.5, 1].flatMap((value) => [0, 1].map((seed) => ({ value, seed })));
  const bracket = { low: 0.3, high: 0.31 };
  assert.deepEqual(planSeeds(cells, bracket, [0.302, 0.308], SETTINGS), [
    { value: 0.3, seeds: [2, 3] },
    { value: 0.31, seeds: [2, 3] },
  ]);
  // One side already has four: the other still needs its two.
  const oneSide = [...cells, ...[2, 3].map((seed) => ({ value: 0.3, seed }))];
  assert.deepEqual(planSeeds(oneSide, bracket, [0.302, 0.308], SETTINGS), [{ value: 0.31, seeds: [2, 3] }]);
  // max 3: three seeds is the most there will be.
  assert.deepEqual(planSeeds(cells, bracket, [0.302, 0.308], { ...SETTINGS, max: 3 }), [
    { value: 0.3, seeds: [2] },
    { value: 0.31, seeds: [2] },
  ]);
});

// A supervised row whose test error falls from 0.5 to 0 around SNR* = 0.4 n^(-1/4), each seed's curve
// shifted by up to +-0.05 in log10 SNR: the seed-mean crossing is known only to within the seeds'
// spread over sqrt(seeds).
function noisyRow(params: CellParams): number {
  const shift = (((params.seed * 7919) % 101) / 100 - 0.5) * 0.1;
  const center = Math.log10(0.4 * params.n_labels ** -0.25);
  return 0.5 / (1 + Math.exp((Math.log10(params.snr) - center - shift) / 0.01));
}

function seededSpec(seeds: { max: number; ci_width: number }): RefinedSpec {
  return parseSpecText(
    stringify({
      name: 'seeds',
      method: 'supervised',
      grid: { n_labels: [16, 256], snr: { geomspace: [0.05, 1, 5] }, seed: { range: [0, 2] } },
      refine: { axis: 'snr', resolution: 0.01, max_rounds: 30, seeds },
    }),
    'seeds.yaml',
  ) as RefinedSpec;
}

test('refine.seeds over whole rounds: intervals narrowed to ci_width by seeds beside the crossing alone', () => {
  const spec = seededSpec({ max: 32, ci_width: 0.04 });
  const run = simulateRefine(spec, noisyRow);
  for (const b of run.final) {
    assert.equal(b.kind, 'crossing');
    const width = Math.log10(b.ci95![1] / b.ci95![0]);
    assert.ok(width < 0.04, `n=${b.group.n_labels}: ci95 ${b.ci95} is ${width} wide`);
    assert.ok(b.seeds > 2, `n=${b.group.n_labels} gained seeds`);
    const truth = 0.4 * Number(b.group.n_labels) ** -0.25;
    assert.ok(b.ci95![0] < truth * 1.05 && b.ci95![1] > truth / 1.05, `n=${b.group.n_labels}: ${b.ci95}`);
    const row = run.observations.filter((o) => o.params.n_labels === b.group.n_labels);
    const perValue = new Map<number, number>();
    for (const o of row) perValue.set(o.params.snr, (perValue.get(o.params.snr) ?? 0) + 1);
    // Cells away from the crossing keep the grid's two seeds: only those inside the interval, or
    // next to it, gained any.
    const near = (snr: number) => snr >= b.ci95![0] / 10 ** 0.02 && snr <= b.ci95![1] * 10 ** 0.02;
    for (const [snr, n] of perValue)
      assert.ok(n === 2 || near(snr), `n=${b.group.n_labels}: ${n} seeds at ${snr}`);
    assert.ok([...perValue.values()].filter((n) => n === 2).length >= 5, JSON.stringify([...perValue]));
  }
  // Planned from the stored cells alone: the same cells plan the same round, in the same order.
  const again = planRound(spec, run.observations.slice(0, 40), true);
  assert.deepEqual(planRound(spec, run.observations.slice(0, 40), true), again);
});

test('refine.seeds stops at max when the interval cannot reach ci_width', () => {
  const run = simulateRefine(seededSpec({ max: 6, ci_width: 0.001 }), noisyRow);
  for (const b of run.final) {
    assert.equal(b.seeds, 6);
    assert.ok(Math.log10(b.ci95![1] / b.ci95![0]) >= 0.001);
  }
  const seeds = new Set(run.observations.map((o) => o.params.seed));
  assert.deepEqual(
    [...seeds].sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5],
  );
});
