import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gpuCount } from '../../../workers/gpu-count.ts';

// PHASESWEEP_GPUS is read two ways: `worker --gpus` takes it as UUIDs, the train-gpu queue's check as a
// count. A list of UUIDs must satisfy both rather than fail the second.
test('PHASESWEEP_GPUS as a count or as GPU UUIDs', () => {
  assert.equal(gpuCount({ PHASESWEEP_GPUS: '3' }), 3);
  assert.equal(gpuCount({ PHASESWEEP_GPUS: 'GPU-5c8c0e3a-1,GPU-7e21aa00-2' }), 2);
  assert.throws(() => gpuCount({ PHASESWEEP_GPUS: 'two' }), /PHASESWEEP_GPUS must be a whole number/);
});
