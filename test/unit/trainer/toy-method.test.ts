import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchCells, cutBatches } from '../../../sweep/batches.ts';
import { canonicalJson, sha256Hex } from '../../../sweep/canonical-json.ts';
import { cellKey, countCells, expandCells } from '../../../sweep/cells.ts';
import { parseSpecText } from '../../../sweep/spec.ts';
import { methodsWith, parseCellParams, registerMethod, trainCells } from '../../../trainer/index.ts';
import { toy, toyError, type ToyParams } from '../../helpers/toy-method.ts';

// Adding a method is writing one module: the toy of test/fixtures, registered here, goes through spec
// parsing, expansion, keys, batching and training without a change anywhere else.
registerMethod(toy);

const SPEC = `name: toy sweep
method: [toy, supervised]
grid:
  n_labels: [4, 16]
  snr: [0.1, 0.5]
  seed: [0, 1]
  # the toy ignores n_unlabeled, as supervised does
  n_unlabeled: [100, 200]
`;

test('a registered method expands, keys and batches like a built-in one', () => {
  const spec = parseSpecText(SPEC, 'toy.yaml');
  const cells = expandCells(spec);
  assert.equal(countCells(spec), 16);
  assert.equal(cells.length, 16);
  const toyCells = cells.filter((c) => (c.params.method as string) === toy.name);
  assert.equal(toyCells.length, 8);
  // Its parameters are its own schema's, normalised as it says: n_unlabeled and m at their defaults.
  for (const c of toyCells) {
    assert.equal(c.params.n_unlabeled, 400);
    assert.equal(c.params.m, 10);
  }
  // Its key hashes what its keyOf gives, its version among it; no key of the other method is shared.
  const first = toyCells[0].params as unknown as ToyParams;
  const expected = sha256Hex(
    canonicalJson({
      params: { method: 'toy', n_labels: first.n_labels, snr: first.snr, seed: first.seed },
      version: 'toy-1',
    }),
  );
  assert.equal(toyCells[0].key, expected);
  assert.equal(cellKey(parseCellParams({ method: 'toy', n_labels: 4, snr: 0.1, seed: 0, d: 7 })), expected);
  assert.equal(new Set(cells.map((c) => c.key)).size, 16);

  // Batching follows its group (n_labels) and unit (seed), weighed by its work: a batch never mixes label
  // counts, the dearer group (n_labels 16, first) is cut at each seed, and the cheap one's two seeds fit in
  // a quarter of the work together.
  const batches = batchCells(toyCells, 100);
  assert.equal(batches.length, 2);
  for (const batch of batches) assert.equal(new Set(batch.map((c) => c.params.n_labels)).size, 1);
  const ranges = cutBatches(
    batches.flat().map((c, ordinal) => ({ ...c, ordinal })),
    100,
    4,
  );
  assert.deepEqual(
    ranges.map((r) => r.cells),
    [2, 2, 4],
  );
});

test('a registered method trains its own cells, in input order, beside built-in ones', async () => {
  const cells = [
    parseCellParams({ method: 'toy', n_labels: 16, snr: 0.5, seed: 1 }),
    parseCellParams({ method: 'noop' }),
    parseCellParams({ method: 'toy', n_labels: 4, snr: 0.1, seed: 0 }),
  ];
  const progress: number[] = [];
  const results = await trainCells(cells, { onProgress: (f) => progress.push(f) });
  assert.equal(results[0].test_error, toyError(cells[0] as unknown as ToyParams));
  assert.equal(results[2].test_error, toyError(cells[2] as unknown as ToyParams));
  assert.equal(results[0].backend, 'toy');
  assert.equal(results[1].backend, 'noop');
  assert.equal(progress.at(-1), 1);
  assert.deepEqual(methodsWith('signal_alignment').includes('toy' as never), false);
  assert.deepEqual(methodsWith('test_error').includes('toy' as never), true);
});

test("a registered method's own checks and unknown parameters are reported as a built-in's are", () => {
  assert.throws(
    () => parseCellParams({ method: 'toy', snr: 11 }),
    /invalid cell parameters: parameter 'snr': the toy knows no SNR above 10/,
  );
  assert.throws(() => parseCellParams({ method: 'toy', k: 1 }), /unknown parameter\(s\) k/);
  assert.throws(
    () => parseCellParams({ method: 'toys' }),
    /expected one of "supervised"\|"simclr"\|"noop"\|"command"\|"toy"/,
  );
  assert.throws(() => registerMethod(toy), /a method named 'toy' exists already/);
});
