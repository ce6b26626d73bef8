import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellKey, expandCells } from '../../../sweep/cells.ts';
import { SpecError, parseSpecText } from '../../../sweep/spec.ts';
import { canonicalJson, sha256Hex } from '../../../sweep/canonical-json.ts';
import { methodOf, parseCellParams } from '../../../trainer/index.ts';

const NEW_PARAMS = [
  'augment_keep',
  'augment_mask',
  'projection_head',
  'head_dim',
  'head_lr',
  'similarity',
  'negatives',
  'signal_direction',
  'symmetric',
  'pretrain_batch',
  'renormalize',
  'finetune',
];

// SimCLR's design choices as sweep axes: categorical values in the grid, the range checks with the
// place of the error, and the cell keys of earlier sweeps untouched by the new defaults.

function specErrors(text: string): string[] {
  try {
    parseSpecText(text, 'bad.yaml');
  } catch (err) {
    assert.ok(err instanceof SpecError);
    return err.issues.map((i) => `${i.line}:${i.path}: ${i.message}`);
  }
  assert.fail('the spec was accepted');
}

const GOOD = `name: heads
method: simclr
grid:
  projection_head: [identity, linear, mlp]
  similarity: [dot, cosine]
  symmetric: [false, true]
  pretrain_batch: [16, 64]
fixed: {n_unlabeled: 64, augment_keep: 0.5, renormalize: false}
`;

test('categorical axes expand into cells with their values', () => {
  const cells = expandCells(parseSpecText(GOOD, 'good.yaml'));
  assert.equal(cells.length, 3 * 2 * 2 * 2);
  assert.deepEqual([...new Set(cells.map((c) => c.params.projection_head))], ['identity', 'linear', 'mlp']);
  assert.ok(cells.every((c) => c.params.augment_keep === 0.5 && c.params.renormalize === false));
  assert.equal(new Set(cells.map((c) => c.key)).size, cells.length);
});

test('out-of-range values are errors that name the parameter and the line', () => {
  assert.deepEqual(specErrors(GOOD.replace('mlp]', 'mpl]')), [
    '4:grid.projection_head[2]: expected one of identity, linear, mlp',
  ]);
  assert.deepEqual(specErrors(GOOD.replace('augment_keep: 0.5', 'augment_keep: 1.5')), [
    '8:fixed.augment_keep: expected 0 <= alpha <= 1',
  ]);
  assert.deepEqual(specErrors(GOOD.replace('[16, 64]', '[16, 65]')), [
    '7:grid.pretrain_batch: a pre-training batch of 65 exceeds n_unlabeled = 64: the batch is drawn from the unlabeled samples',
  ]);
  assert.match(
    specErrors(GOOD.replace('[false, true]', '[no, 1]')).join('\n'),
    /symmetric.*expected true or false/,
  );
});

test('negatives, signal_direction and head_lr are axes with clear errors for bad values', () => {
  const spec = GOOD.replace('renormalize: false}', 'renormalize: false, head_lr: 5}').replace(
    'symmetric: [false, true]',
    'negatives: [cross, all]\n  signal_direction: [e1, random]',
  );
  assert.equal(expandCells(parseSpecText(spec, 'good.yaml')).length, 3 * 2 * 2 * 2 * 2);
  assert.deepEqual(specErrors(spec.replace('[cross, all]', '[cross, every]')), [
    '6:grid.negatives[1]: expected one of cross, all',
  ]);
  assert.deepEqual(specErrors(spec.replace('[e1, random]', '[e1, e2]')), [
    '7:grid.signal_direction[1]: expected one of e1, random',
  ]);
  assert.match(specErrors(spec.replace('head_lr: 5', 'head_lr: 0')).join('\n'), /^9:fixed.head_lr: /);
});

test('head_dim beside the identity head is refused, in a spec and in a cell', () => {
  assert.deepEqual(specErrors(GOOD.replace('renormalize: false}', 'renormalize: false, head_dim: 8}')), [
    '8:fixed.head_dim: only a linear or mlp projection_head has a head_dim, and projection_head includes identity',
  ]);
  assert.throws(
    () => parseCellParams({ method: 'simclr', head_dim: 8 }),
    /parameter 'head_dim': only a linear or mlp projection_head has a head_dim/,
  );
  // a head that has a width takes it
  assert.equal(parseCellParams({ method: 'simclr', projection_head: 'mlp', head_dim: 8 }).head_dim, 8);
});

test('q is no part of a linear-probe cell key: the probe trains no ReLU^q network', () => {
  const probe = { method: 'simclr', finetune: 'linear_probe', snr: 0.3 } as const;
  assert.equal(cellKey(parseCellParams({ ...probe, q: 1 })), cellKey(parseCellParams({ ...probe, q: 3 })));
  const full = { method: 'simclr', snr: 0.3 } as const;
  assert.notEqual(cellKey(parseCellParams({ ...full, q: 1 })), cellKey(parseCellParams({ ...full, q: 3 })));
});

test('the new parameters at their defaults leave the cell key as it was', () => {
  const cell = { method: 'simclr', snr: 0.3 } as const;
  // the key as it was computed before these parameters existed: the hash of the older ones only
  const older = Object.fromEntries(
    Object.entries(parseCellParams(cell)).filter(([name]) => !NEW_PARAMS.includes(name)),
  );
  const before = sha256Hex(canonicalJson({ params: older, trainer_version: methodOf('simclr').version }));
  assert.equal(cellKey(parseCellParams(cell)), before);
  const spelledOut = {
    ...cell,
    augment_keep: 0,
    augment_mask: 0,
    projection_head: 'identity',
    similarity: 'dot',
    symmetric: false,
    pretrain_batch: 400,
    renormalize: true,
    finetune: 'full',
  } as const;
  assert.equal(cellKey(parseCellParams(spelledOut)), before);
  assert.notEqual(cellKey(parseCellParams({ ...cell, symmetric: true })), before);
  // a supervised cell ignores them all
  assert.equal(
    cellKey(parseCellParams({ snr: 0.3, projection_head: 'mlp' })),
    cellKey(parseCellParams({ snr: 0.3 })),
  );
});
