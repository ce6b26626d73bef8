import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchKey, parseCellParams, pretrainKey } from '../../../trainer/index.ts';

// Which cells share one computation: masked views of a random signal direction depend on ||mu||, so
// those cells are batched per SNR; the new pre-training options separate encoders.

test('cells batch across SNRs unless their masked views depend on ||mu||', () => {
  const at = (snr: number, extra: object) => batchKey(parseCellParams({ method: 'simclr', snr, ...extra }));
  assert.equal(at(0.1, { augment_mask: 0.3 }), at(0.2, { augment_mask: 0.3 }));
  assert.equal(at(0.1, { signal_direction: 'random' }), at(0.2, { signal_direction: 'random' }));
  const random = { augment_mask: 0.3, signal_direction: 'random' };
  assert.notEqual(at(0.1, random), at(0.2, random));
});

test('head_lr, negatives and signal_direction are part of the pre-training key', () => {
  const key = (extra: object) => pretrainKey(parseCellParams({ method: 'simclr', ...extra }));
  const base = key({});
  for (const extra of [{ head_lr: 3 }, { negatives: 'all' }, { signal_direction: 'random' }]) {
    assert.notEqual(key(extra), base, JSON.stringify(extra));
  }
});
