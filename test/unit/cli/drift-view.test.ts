import assert from 'node:assert/strict';
import { it } from 'node:test';
import { renderMovedPoints } from '../../../cli/views/drift.ts';
import type { DriftPoint } from '../../../sweep/drift.ts';

const moved = (params?: Record<string, unknown>): DriftPoint => ({
  method: 'simclr',
  n_labels: 4,
  n_unlabeled: 100,
  snr: 0.2,
  ...(params ? { params } : {}),
  before: 0.5,
  after: 0.1,
  delta: -0.4,
  before_ci: null,
  after_ci: null,
  seeds_before: 4,
  seeds_after: 4,
  p_value: 0.001,
  q_value: 0.002,
});

it('moved points at the same n, n0 and SNR are told apart by the settings that differ', () => {
  const base = { method: 'simclr', n_labels: 4, n_unlabeled: 100, snr: 0.2 };
  const lines = renderMovedPoints([
    moved({ ...base, projection_head: 'identity' }),
    moved({ ...base, projection_head: 'mlp' }),
  ]);
  assert.equal(lines.length, 3);
  assert.match(lines[1]!, /projection_head=identity$/);
  assert.match(lines[2]!, /projection_head=mlp$/);
  // Records from before points carried their parameters show the table as it was.
  assert.doesNotMatch(renderMovedPoints([moved()]).join('\n'), /=/);
});
