import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchCells, cutBatches, shapeOf } from '../../../sweep/batches.ts';
import { expandCells } from '../../../sweep/cells.ts';
import { parseSpecText } from '../../../sweep/spec.ts';
import { DEFAULT_BATCH_SIZE } from '../../../sweep/spec-schema.ts';
import { parseCellParams, pretrainKey, workOf, type CellParams } from '../../../trainer/index.ts';

const SPEC = `name: batches
method: [supervised, simclr]
grid:
  n_unlabeled: [100, 400]
  n_labels: [4, 16]
  snr: [0.1, 0.2, 0.4]
  seed: {range: [0, 3]}
`;

test('shapeOf keeps what fixes tensor shapes and leaves per-cell scalars out', () => {
  const supervised = parseCellParams({ snr: 0.3, seed: 5, lr: 0.5 });
  assert.deepEqual(shapeOf(supervised), shapeOf(parseCellParams({})));
  assert.notDeepEqual(shapeOf(parseCellParams({ n_labels: 4 })), shapeOf(supervised));
  assert.equal(shapeOf(supervised).n_unlabeled, undefined);
  assert.notDeepEqual(
    shapeOf(parseCellParams({ method: 'simclr', n_unlabeled: 25 })),
    shapeOf(parseCellParams({ method: 'simclr' })),
  );
});

// A batch holds one shape, except that SimCLR cells differing only in their fine-tuning share one.
function batchShape(params: CellParams): string {
  const shape = shapeOf(params);
  if (shape.method !== 'simclr') return JSON.stringify(shape);
  const { n_labels: _n, q: _q, steps: _s, n_test: _t, ...pretraining } = shape;
  return JSON.stringify(pretraining);
}

test('batches hold one shape, keep a seed together, cover every cell once, and are deterministic', () => {
  const cells = expandCells(parseSpecText(SPEC, 'b.yaml'));
  // supervised: 2 x 3 x 3 = 18; simclr: 2 x 2 x 3 x 3 = 36.
  assert.equal(cells.length, 54);
  for (const size of [1, 4, 5, 9, 100]) {
    const batches = batchCells(cells, size);
    assert.deepEqual(batchCells(cells, size), batches);
    const seen = batches.flat().map((c) => c.key);
    assert.equal(seen.length, cells.length);
    assert.equal(new Set(seen).size, cells.length);
    for (const batch of batches) {
      assert.ok(batch.length >= 1 && batch.length <= size);
      const shape = batchShape(batch[0].params);
      assert.ok(batch.every((c) => batchShape(c.params) === shape));
      const seeds = batch.map((c) => c.params.seed);
      assert.deepEqual(
        seeds,
        [...seeds].sort((a, b) => a - b),
        'cells of one seed are adjacent',
      );
    }
  }
  // 4 groups (supervised x 2 n_labels of 9 cells, simclr x 2 n_unlabeled of 18), where the 3 SNRs of
  // one seed and n_labels fill a batch of 3 exactly.
  const threes = batchCells(cells, 3);
  assert.equal(threes.length, 18);
  assert.ok(threes.every((b) => new Set(b.map((c) => c.params.seed)).size === 1));
  assert.ok(threes.every((b) => new Set(b.map((c) => c.params.n_labels)).size === 1));
  assert.throws(() => batchCells(cells, 0), RangeError);
});

test('the most expensive groups come first, so that long batches start first', () => {
  const cells = expandCells(parseSpecText(SPEC, 'b.yaml'));
  const order = batchCells(cells, 100).map((batch) => shapeOf(batch[0].params));
  assert.equal(order[0].method, 'simclr');
  assert.equal(order[0].n_unlabeled, 400);
  const supervised = order.filter((shape) => shape.method === 'supervised').map((shape) => shape.n_labels);
  assert.deepEqual(supervised, [16, 4]);
  assert.equal(
    order.findIndex((shape) => shape.method === 'supervised'),
    2,
    'pre-training makes simclr dearer',
  );
});

// The 6.3 SimCLR grid: 2 fine-tunings (n_labels) of every encoder (n_0, seed), and supervised cells.
const SIMCLR_SPEC = `name: simclr-grid
method: simclr
grid:
  n_unlabeled: [25, 100, 400, 1600]
  snr: [0.05, 0.1, 0.2, 0.4]
  n_labels: [4, 16]
  seed: [0, 1]
fixed:
  pretrain_steps: 100
`;

test('every encoder of a SimCLR grid is pre-trained in one batch, however many threads share the work', () => {
  const cells = batchCells(expandCells(parseSpecText(SIMCLR_SPEC, 's.yaml')), DEFAULT_BATCH_SIZE)
    .flat()
    .map((cell, ordinal) => ({ ...cell, ordinal }));
  const encoders = new Set(cells.map((c) => pretrainKey(c.params)));
  assert.equal(encoders.size, 8);
  const total = cells.reduce((sum, c) => sum + workOf(c.params), 0);
  for (const threads of [1, 2, 3, 8, 100]) {
    const ranges = cutBatches(cells, DEFAULT_BATCH_SIZE, threads);
    const inRange = ranges.map((r) =>
      cells.filter((c) => c.ordinal >= r.fromOrdinal && c.ordinal <= r.toOrdinal),
    );
    assert.deepEqual(
      inRange.flat().map((c) => c.ordinal),
      cells.map((c) => c.ordinal),
      'every cell once, in order',
    );
    for (const encoder of encoders) {
      const holding = inRange.filter((batch) => batch.some((c) => pretrainKey(c.params) === encoder));
      assert.equal(holding.length, 1, `encoder in ${holding.length} batches with ${threads} threads`);
    }
    // Units are joined only within a thread's share of the work; a unit larger than it stands alone.
    for (const batch of inRange.filter((b) => new Set(b.map((c) => pretrainKey(c.params))).size > 1)) {
      assert.ok(batch.reduce((sum, c) => sum + workOf(c.params), 0) <= total / threads);
    }
    if (threads === 1) assert.equal(ranges.length, 4, 'one batch per n_0');
    if (threads === 100) assert.equal(ranges.length, 8, 'one batch per encoder');
  }
});
