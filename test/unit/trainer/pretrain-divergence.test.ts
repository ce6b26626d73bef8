import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCellParams, RESULT_METRICS, trainCells, type CellResult } from '../../../trainer/index.ts';
import { DivergenceWatch } from '../../../trainer/pretrain-divergence.ts';

// SimCLR pre-training that runs away is a diverged cell on every backend. Under plain GD at norm 1 with
// the inner product and an mlp head (the study's head-dot grid, unit regime), seed 3 at pretrain_lr 0.05
// overflows within 8 steps: the head's weights pass 1e2 at step 6 and float32's range by step 8. The
// float32 tfjs program then holds Inf/NaN; the float64 js one held a head of 1e63 and reported it as
// head_change beside the diverged flag.

const regime = {
  method: 'simclr',
  n_unlabeled: 200,
  pretrain_batch: 32,
  pretrain_init_norm: 1,
  renormalize: false,
  similarity: 'dot',
  projection_head: 'mlp',
  head_lr: 0.05,
  pretrain_lr: 0.05,
  pretrain_steps: 8,
  snr: 0.1,
  n_labels: 4,
  steps: 5,
  n_test: 50,
  n_val: 50,
} as const;
const runaway = parseCellParams({ ...regime, seed: 3 });
const calm = parseCellParams({ ...regime, seed: 0 });

function assertDiverged(result: CellResult, where: string): void {
  assert.equal(result.diverged, true, where);
  for (const metric of RESULT_METRICS) assert.equal(result[metric], null, `${where}: ${metric}`);
}

for (const backend of ['js', 'wasm'] as const) {
  test(`${backend}: a cell whose pre-training overflows is diverged with every metric null`, async () => {
    const [away, still] = await trainCells([runaway, calm], { backend });
    assertDiverged(away, `${backend} seed 3`);
    assert.equal(still.diverged, false, `${backend} seed 0`);
    assert.ok(Number.isFinite(still.head_change) && still.head_change! > 0, `${still.head_change}`);
    assert.ok(still.linear_probe_error !== null && still.pretrain_alignment !== null);
  });
}

test('the watch flags a head beyond float32 range, NaN and Inf, and stays flagged', () => {
  const size = 2;
  const watch = new DivergenceWatch(3, size);
  const head = (x: number) => ({ v1: Float64Array.of(1, x), v2: new Float64Array(0) });
  const weights = Float64Array.of(1, 2, 3, 4, 5, 6);
  watch.check(weights, [head(3e38), head(1), head(1)]);
  assert.deepEqual(watch.diverged, [false, false, false]);
  // 4e38 is finite in float64 but Inf in float32
  watch.check(weights, [head(4e38), head(1), head(1)]);
  weights[4] = Number.NaN;
  watch.check(weights, [head(1), head(1), head(1)]);
  assert.deepEqual(watch.diverged, [true, false, true]);
  weights[4] = 5;
  weights[2] = -Infinity;
  watch.check(weights, [head(1), head(1), head(1)]);
  assert.deepEqual(watch.diverged, [true, true, true]);
});
