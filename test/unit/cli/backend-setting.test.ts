import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backendSetting } from '../../../cli/backend-setting.ts';
import { workerSettings } from '../../../cli/commands/worker.ts';

const badInputNaming = (name: RegExp) => (err: Error & { badInput?: boolean }) =>
  err.badInput === true && name.test(err.message) && !/--backend/.test(err.message);

test('the backend comes from --backend, else PHASESWEEP_BACKEND, else auto', () => {
  assert.equal(backendSetting('cpu', { PHASESWEEP_BACKEND: 'wasm' }), 'cpu');
  assert.equal(backendSetting(undefined, { PHASESWEEP_BACKEND: 'wasm' }), 'wasm');
  assert.equal(backendSetting(undefined, { PHASESWEEP_BACKEND: '' }), 'auto');
  assert.equal(backendSetting(undefined, {}), 'auto');
});

test('an unknown PHASESWEEP_BACKEND is bad input that names the variable, not --backend', () => {
  assert.throws(
    () => backendSetting(undefined, { PHASESWEEP_BACKEND: 'gpuz' }),
    badInputNaming(/PHASESWEEP_BACKEND.*gpuz/),
  );
  const saved = process.env.PHASESWEEP_BACKEND;
  process.env.PHASESWEEP_BACKEND = 'gpuz';
  try {
    // A worker refuses it when it starts, before it takes any work.
    assert.throws(
      () => workerSettings({ queue: 'train-cpu', concurrency: '1' }, () => 0),
      badInputNaming(/PHASESWEEP_BACKEND.*gpuz/),
    );
  } finally {
    if (saved === undefined) delete process.env.PHASESWEEP_BACKEND;
    else process.env.PHASESWEEP_BACKEND = saved;
  }
});
