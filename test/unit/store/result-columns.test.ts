import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paramColumns } from '../../../store/results.ts';
import { normalizeParams } from '../../../sweep/cells.ts';
import { PARAM_NAMES, parseCellParams } from '../../../trainer/index.ts';

// The parameter columns of `results` and `export`, from a cell's stored parameters.
const stored = (input: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(JSON.stringify(normalizeParams(parseCellParams(input)))) as Record<string, unknown>;

describe('result parameter columns', () => {
  it("are the trainer's parameters, in its order, pretrain_init_norm included", () => {
    const columns = paramColumns(stored({ method: 'simclr' }));
    assert.deepEqual(Object.keys(columns), PARAM_NAMES);
    assert.equal(columns.pretrain_init_norm, 1e-3);
  });

  it('give the values a cell ran at: head_dim 2m, pretrain_batch n_unlabeled when written out equal', () => {
    const columns = paramColumns(stored({ method: 'simclr', n_unlabeled: 64, pretrain_batch: 64, m: 10 }));
    assert.equal(columns.pretrain_batch, 64);
    assert.equal(columns.head_dim, 20);
    assert.equal(
      paramColumns(stored({ method: 'simclr', n_unlabeled: 64, pretrain_batch: 16 })).pretrain_batch,
      16,
    );
  });

  it("leave blank what the cell's method does not read", () => {
    const columns = paramColumns(stored({ method: 'supervised', n_labels: 8, seed: 3 }));
    assert.equal(columns.n_unlabeled, null);
    assert.equal(columns.pretrain_init_norm, null);
    assert.equal(columns.pretrain_batch, null);
    assert.deepEqual([columns.method, columns.n_labels, columns.seed], ['supervised', 8, 3]);
  });

  it('fill a parameter stored cells predate with its default', () => {
    const { pretrain_init_norm: _, ...older } = stored({ method: 'simclr' });
    assert.equal(paramColumns(older).pretrain_init_norm, 1e-3);
  });
});
