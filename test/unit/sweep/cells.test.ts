import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { cellKey, countCells, expandCells, normalizeParams } from '../../../sweep/cells.ts';
import { parseSpecText } from '../../../sweep/spec.ts';
import { parseCellParams, TRAINER_VERSION } from '../../../trainer/index.ts';

test('cellKey is the golden hash of the canonical parameters and the trainer version', () => {
  // Written out by hand once: sorted keys, shortest number forms, trainer defaults. If this test
  // fails, every cell key has changed and every cached result would be orphaned and retrained: change
  // keys only on purpose (bump TRAINER_VERSION when the trainer changes outcomes).
  const canonical =
    '{"params":{"d":200,"lr":1,"m":10,"method":"supervised","n_labels":16,"n_test":1000,' +
    '"n_unlabeled":400,"n_val":1000,"p":0,"pretrain_init_norm":0.001,"pretrain_lr":0.05,"pretrain_steps":1000,' +
    `"q":3,"seed":0,"sigma0":0.01,"sigma_p":1,"snr":0.2,"steps":1000,"tau":1},"trainer_version":"${TRAINER_VERSION}"}`;
  assert.equal(cellKey(parseCellParams({})), createHash('sha256').update(canonical).digest('hex'));
  // The same value computed independently (Python's hashlib, json.dumps(sort_keys=True)) for
  // TRAINER_VERSION '1'.
  if (TRAINER_VERSION === '1') {
    assert.equal(
      cellKey(parseCellParams({})),
      'd323a54dec1759a12e33e4eb62b6991abea8d1e7431e9df21b0c14927bd101b8',
    );
  }
});

test('cellKey sees every outcome-determining parameter except those the method ignores', () => {
  const base = parseCellParams({ method: 'simclr' });
  const changed = { ...base, n_unlabeled: 25, tau: 0.5, snr: 0.3 };
  for (const field of ['n_unlabeled', 'tau', 'snr'] as const) {
    assert.notEqual(cellKey({ ...base, [field]: changed[field] }), cellKey(base), field);
  }
  const supervised = parseCellParams({ method: 'supervised' });
  assert.equal(cellKey({ ...supervised, n_unlabeled: 25, pretrain_steps: 7, tau: 0.5 }), cellKey(supervised));
  assert.equal(normalizeParams({ ...supervised, n_unlabeled: 25 }).n_unlabeled, 400);
  assert.notEqual(cellKey({ ...supervised, method: 'noop' }), cellKey(supervised));
});

const SPEC = `name: cells
method: [supervised, simclr, noop]
grid:
  n_unlabeled: [25, 100]
  snr: {geomspace: [0.1, 1, 3]}
  seed: {range: [0, 2]}
fixed: {tau: 2, d: 20}
`;

test('expansion is deterministic, collapses ignored axes, and fills trainer defaults', () => {
  const spec = parseSpecText(SPEC, 'cells.yaml');
  const cells = expandCells(spec);
  // supervised and noop ignore n_unlabeled: 3 x 2 each; simclr 2 x 3 x 2.
  assert.equal(cells.length, 6 + 12 + 6);
  assert.equal(countCells(spec), cells.length);
  assert.deepEqual(
    cells.map((c) => c.ordinal),
    cells.map((_, i) => i),
  );
  assert.equal(new Set(cells.map((c) => c.key)).size, cells.length);
  assert.deepEqual(expandCells(parseSpecText(SPEC, 'again.yaml')), cells);
  const first = cells[0].params;
  assert.deepEqual(first, { ...parseCellParams({ d: 20 }), snr: 0.1, seed: 0 });
  assert.equal(cells[1].params.seed, 1, 'the last axis in parameter order varies fastest');
  const simclr = cells.filter((c) => c.params.method === 'simclr');
  assert.ok(simclr.every((c) => c.params.tau === 2));
  assert.ok(cells.filter((c) => c.params.method !== 'simclr').every((c) => c.params.tau === 1));
  assert.throws(() => expandCells(spec, { maxCells: 23 }), { badInput: true, message: /24 cells/ });
});

const AXIS_CHOICES = {
  n_labels: [4, 8, 16, 32],
  n_unlabeled: [25, 100, 400],
  snr: [0.05, 0.1, 0.2, 0.4],
  seed: [0, 1, 2],
  tau: [0.5, 1, 2],
  lr: [0.1, 1],
} as const;

test('expansion count = sum over methods of the product of the axes each method uses; keys are unique', () => {
  const axisArb = fc.record(
    Object.fromEntries(
      Object.entries(AXIS_CHOICES).map(([axis, choices]) => [
        axis,
        fc.subarray([...choices], { minLength: 1 }),
      ]),
    ),
    { requiredKeys: [] },
  );
  const methodsArb = fc.subarray(['supervised', 'simclr', 'noop'], { minLength: 1 });
  fc.assert(
    fc.property(methodsArb, axisArb, (methods, grid) => {
      const text = JSON.stringify({ name: 'p', method: methods, grid });
      const spec = parseSpecText(text, 'prop.yaml');
      const cells = expandCells(spec);
      const expected = methods
        .map((method) =>
          Object.entries(grid)
            .filter(([axis]) => method === 'simclr' || !['n_unlabeled', 'tau'].includes(axis))
            .reduce((n, [, values]) => n * (values as number[]).length, 1),
        )
        .reduce((a, b) => a + b, 0);
      assert.equal(cells.length, expected);
      assert.equal(countCells(spec), expected);
      const keys = new Set(cells.map((c) => c.key));
      const params = new Set(cells.map((c) => JSON.stringify(c.params)));
      assert.equal(keys.size, cells.length);
      assert.equal(params.size, cells.length);
    }),
    { numRuns: 150 },
  );
});
