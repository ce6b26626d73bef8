import assert from 'node:assert/strict';
import { it } from 'node:test';
import { driftBrief, recordHeadline, renderMovedPoints } from '../../../cli/views/drift.ts';
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

it('a drift with nothing retrained says so instead of "0 of N moved"; older records read as before', () => {
  const record = { compared: 12, moved: 0, baseline_sweep_id: 'night-1', baseline_runs: 1 };
  assert.equal(
    recordHeadline({ ...record, retrained: 0 }, 'night-2'),
    'nothing retrained: every cell is a cache hit (12 grid points, night-1 → night-2): the same stored numbers on both sides, nothing to test',
  );
  assert.equal(
    recordHeadline({ ...record, retrained: null }, 'night-2'),
    '0 of 12 grid points moved (night-1 → night-2)',
  );
  assert.equal(
    recordHeadline({ ...record, retrained: 9, moved: 2, baseline_runs: 3 }, 'night-4'),
    '2 of 12 grid points moved (3 earlier runs → night-4); 3 of the 12 all cache hits, not tested',
  );
});

it('schedule describe gives the same reading in a table cell', () => {
  const record = { compared: 12, moved: 0, baseline_sweep_id: 'night-1', baseline_runs: 1 };
  assert.equal(driftBrief({ ...record, retrained: 0 }), 'nothing retrained (all cache hits)');
  assert.equal(driftBrief({ ...record, retrained: null }), '0/12 moved vs night-1');
  assert.equal(
    driftBrief({ ...record, retrained: 12, moved: 1, baseline_runs: 2 }),
    '1/12 moved vs 2 earlier runs',
  );
});

it('the moved-points table names the test of each point (records from before paired tests: Welch)', () => {
  const lines = renderMovedPoints([{ ...moved(), test: 'wilcoxon' }, moved()]);
  assert.match(lines[0]!, /q\s+test$/);
  assert.match(lines[1]!, /wilcoxon$/);
  assert.match(lines[2]!, /welch$/);
});

it("a program's drift record names the versions compared: its own, or the one before a change and tonight's", () => {
  const v1 = '3f2a1b9c0d4e77bb';
  const v2 = '9c41d07a3b2e55aa';
  const record = { baseline_sweep_id: 'n-2', baseline_runs: 2, compared: 2, retrained: 2, moved: 2 };
  assert.equal(
    recordHeadline({ ...record, code_hash: v2, baseline_code_hash: v1 }, 'n-3'),
    '2 of 2 grid points moved (2 earlier runs → n-3); program changed 3f2a1b9c0d4e → 9c41d07a3b2e: the two versions compared',
  );
  assert.equal(
    driftBrief({ ...record, baseline_runs: 1, moved: 0, code_hash: v2, baseline_code_hash: v2 }),
    '0/2 moved vs n-2 (program 9c41d07a3b2e: against earlier runs of the same version)',
  );
  // A built-in method, or a record read without versions: as before.
  assert.equal(
    recordHeadline({ ...record, code_hash: null, baseline_code_hash: null }, 'n-3'),
    '2 of 2 grid points moved (2 earlier runs → n-3)',
  );
  assert.equal(driftBrief(record), '2/2 moved vs 2 earlier runs');
});
