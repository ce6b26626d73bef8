import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchTimeLimitMs } from '../../../sweep/batch-time-limit.ts';
import { parseSpecText } from '../../../sweep/spec.ts';

const HOUR = 3_600_000;

const commandSpec = (command: string, resources = '') =>
  parseSpecText(
    `name: limit\nmethod: command\ncommand: { argv: [python3, train.py], metrics: [loss]${command} }\ngrid: { lr: [1, 2] }\n${resources}`,
    'limit.yaml',
  );

test('the built-in methods keep 24 hours a batch, whatever its size', () => {
  const spec = parseSpecText('name: cnn\nmethod: supervised\ngrid: { seed: [0, 1] }\n', 'cnn.yaml');
  assert.equal(batchTimeLimitMs(spec, 1), 24 * HOUR);
  assert.equal(batchTimeLimitMs(spec, 10_000), 24 * HOUR);
});

test('command cells: the batch as its cells one after another, each its timeout and grace, plus an hour', () => {
  const spec = commandSpec(', timeout: 10h, grace: 30s');
  // 4 x (10 h + 30 s) + 1 h = 41 h 2 min
  assert.equal(batchTimeLimitMs(spec, 4), 41 * HOUR + 2 * 60_000);
  assert.equal(batchTimeLimitMs(spec, 64), 64 * (10 * HOUR + 30_000) + HOUR);
});

test('command cells: never below 24 hours, so short cells keep the limit they had', () => {
  // the defaults: timeout 1 h, grace 10 s; 3 cells make 4 h
  assert.equal(batchTimeLimitMs(commandSpec(''), 3), 24 * HOUR);
  assert.equal(batchTimeLimitMs(commandSpec(', timeout: 5m'), 64), 24 * HOUR);
  // 23 x (1 h + 10 s) + 1 h = 24 h 3 min 50 s
  assert.equal(batchTimeLimitMs(commandSpec(''), 23), 24 * HOUR + 230_000);
});

test('command cells of several GPUs each wait for as many slots', () => {
  const spec = commandSpec(', timeout: 10h, grace: 30s', 'resources: { queue: train-gpu, gpus: 2 }\n');
  assert.equal(batchTimeLimitMs(spec, 4), 8 * (10 * HOUR + 30_000) + HOUR);
});
