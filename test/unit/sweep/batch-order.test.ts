import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellsInBatchOrder } from '../../../sweep/batch-order.ts';
import { batchCells } from '../../../sweep/batches.ts';
import { expandCells, gridIndex, iterateCells, type Cell } from '../../../sweep/cells.ts';
import { parseSpecText } from '../../../sweep/spec.ts';

// Several methods (one with an axis the other ignores), SimCLR groups sharing an encoder across
// n_labels, seeds listed out of order, and an axis whose values normalise to one cell (augment_mask 0
// makes signal_direction irrelevant): the cases where grouping, ordering and keys can go wrong.
const SPECS = {
  mixed: `name: order
method: [supervised, simclr]
grid:
  n_unlabeled: [100, 400]
  n_labels: [4, 16]
  snr: [0.1, 0.2, 0.4]
  seed: [2, 0, 1]
`,
  noop: `name: order
method: noop
grid:
  snr: {linspace: [0.01, 1.0, 7]}
  seed: {range: [0, 5]}
`,
  normalised: `name: order
method: simclr
grid:
  augment_mask: [0, 0.5]
  signal_direction: [e1, random]
  lr: [0.1, 0.01]
  seed: {range: [0, 2]}
`,
  single: `name: order
method: supervised
grid:
  seed: [0]
`,
};

async function collect(spec: ReturnType<typeof parseSpecText>, chunkSize: number): Promise<Cell[][]> {
  const chunks: Cell[][] = [];
  for await (const chunk of cellsInBatchOrder(spec, chunkSize)) chunks.push(chunk);
  return chunks;
}

test('gridIndex gives the i-th cell of iterateCells from i alone', () => {
  for (const text of Object.values(SPECS)) {
    const spec = parseSpecText(text, 'o.yaml');
    const grid = gridIndex(spec);
    const cells = [...iterateCells(spec)];
    assert.equal(grid.count, cells.length);
    cells.forEach((cell, i) => assert.deepEqual(grid.paramsAt(i), cell.params));
    assert.throws(() => grid.paramsAt(cells.length), RangeError);
  }
});

test('cellsInBatchOrder hands out the cells of batchCells in its order, numbered along it, in chunks', async () => {
  for (const [name, text] of Object.entries(SPECS)) {
    const spec = parseSpecText(text, 'o.yaml');
    const expected = batchCells(expandCells(spec), 4)
      .flat()
      .map((cell, ordinal) => ({ ...cell, ordinal }));
    for (const chunkSize of [1, 5, 1000]) {
      const chunks = await collect(spec, chunkSize);
      assert.ok(
        chunks.every((c) => c.length >= 1 && c.length <= chunkSize),
        name,
      );
      assert.ok(
        chunks.slice(0, -1).every((c) => c.length === chunkSize),
        name,
      );
      assert.deepEqual(chunks.flat(), expected, `${name}, chunks of ${chunkSize}`);
    }
  }
});
