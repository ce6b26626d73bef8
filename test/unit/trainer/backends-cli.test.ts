import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCellParams, trainCell } from '../../../trainer/index.ts';

// Backend agreement on one small cell, and the `phasesweep train-cell` contract.

const bin = fileURLToPath(new URL('../../../bin/phasesweep.js', import.meta.url));

test('wasm and cpu backends give the same test error on the same cell', async () => {
  const cell = parseCellParams({ n_labels: 16, snr: 0.5, d: 100, steps: 300, n_test: 500 });
  const wasm = await trainCell(cell, { backend: 'wasm' });
  const cpu = await trainCell(cell, { backend: 'cpu' });
  assert.equal(wasm.backend, 'wasm');
  assert.equal(cpu.backend, 'cpu');
  assert.ok(Math.abs(wasm.test_error! - cpu.test_error!) <= 0.01, `${wasm.test_error} vs ${cpu.test_error}`);
  assert.ok(Math.abs(wasm.signal_alignment! - cpu.signal_alignment!) < 1e-3);
});

function cli(...args: string[]) {
  return spawnSync(process.execPath, [bin, 'train-cell', ...args], { encoding: 'utf8' });
}

test('train-cell prints one JSON line with the result fields', () => {
  const run = cli('--params', '{"n_labels":8,"snr":0.9,"d":50,"steps":200,"n_test":200}', '--backend', 'cpu');
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const result = JSON.parse(lines[0]) as Record<string, unknown>;
  for (const key of ['test_error', 'test_loss', 'train_loss', 'signal_alignment', 'noise_memorization']) {
    assert.equal(typeof result[key], 'number', key);
  }
  assert.equal(result.diverged, false);
  assert.equal(result.steps, 200);
  assert.equal(result.backend, 'cpu');
});

test('train-cell rejects bad parameters with exit 2, naming the parameter', () => {
  const unknown = cli('--params', '{"n_labels":8,"sn":0.3}');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown parameter\(s\) sn/);
  const invalid = cli('--params', '{"p":0.7}');
  assert.equal(invalid.status, 2);
  assert.match(invalid.stderr, /parameter 'p'/);
  const notJson = cli('--params', '{n_labels:8}');
  assert.equal(notJson.status, 2);
  assert.match(notJson.stderr, /--params is not valid JSON/);
  const badBackend = cli('--params', '{}', '--backend', 'tpu');
  assert.equal(badBackend.status, 2);
  assert.match(badBackend.stderr, /--backend 'tpu'/);
});
