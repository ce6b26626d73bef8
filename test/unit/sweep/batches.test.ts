import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchCells, shapeOf } from '../../../sweep/batches.ts';
import { expandCells } from '../../../sweep/cells.ts';
import { parseSpecText } from '../../../sweep/spec.ts';
import { parseCellParams } from '../../../trainer/index.ts';

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
      const shape = JSON.stringify(shapeOf(batch[0].params));
      assert.ok(batch.every((c) => JSON.stringify(shapeOf(c.params)) === shape));
      const seeds = batch.map((c) => c.params.seed);
      assert.deepEqual(
        seeds,
        [...seeds].sort((a, b) => a - b),
        'cells of one seed are adjacent',
      );
    }
  }
  // 6 shapes (supervised x 2 n_labels, simclr x 2 n_labels x 2 n_unlabeled) of 9 cells each, where
  // the 3 SNRs of one seed fill a batch of 3 exactly.
  const threes = batchCells(cells, 3);
  assert.equal(threes.length, 18);
  assert.ok(threes.every((b) => new Set(b.map((c) => c.params.seed)).size === 1));
  assert.throws(() => batchCells(cells, 0), RangeError);
});

test('the most expensive shapes come first, so that long batches start first', () => {
  const cells = expandCells(parseSpecText(SPEC, 'b.yaml'));
  const order = batchCells(cells, 100).map((batch) => shapeOf(batch[0].params));
  assert.deepEqual(
    order[0],
    shapeOf({ ...cells[0].params, method: 'simclr', n_unlabeled: 400, n_labels: 16 }),
  );
  const supervised = order.filter((shape) => shape.method === 'supervised').map((shape) => shape.n_labels);
  assert.deepEqual(supervised, [16, 4]);
  assert.equal(
    order.findIndex((shape) => shape.method === 'supervised'),
    4,
    'pre-training makes simclr dearer',
  );
});
