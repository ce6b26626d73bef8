import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommandSpec } from '../../../sweep/command-spec.ts';

const spec = (
  command: string,
  rest = 'grid: {n: [16, 64], snr: {geomspace: [0.1, 1, 8]}, seed: {range: [3, 5]}}\nfixed: {d: 200}',
) => `name: x\nmethod: command\ncommand:\n${command}\n${rest}\n`;

test('the command: section with its defaults, durations in ms, and the first cell of the grid', () => {
  const parsed = parseCommandSpec(
    spec(
      '  argv: [python3, train.py]\n  metrics: [test_error]\n  env: {OMP_NUM_THREADS: "1"}\n  timeout: 30m\n  stall_timeout: 5m',
    ),
    'spec.yaml',
  );
  assert.deepEqual(parsed.command, {
    argv: ['python3', 'train.py'],
    cwd: '.',
    metrics: ['test_error'],
    env: { OMP_NUM_THREADS: '1' },
    timeout: 1_800_000,
    stall_timeout: 300_000,
    grace: 10_000,
    persistent: false,
  });
  assert.deepEqual(parsed.firstCell, { params: { d: 200, n: 16, snr: 0.1 }, seed: 3 });
});

test('a bad command: section is one line naming the file, line, field and what is expected', () => {
  const bad = (command: string, pattern: RegExp) =>
    assert.throws(
      () => parseCommandSpec(spec(command), 'spec.yaml'),
      (err: Error & { badInput?: boolean }) => {
        assert.equal(err.badInput, true);
        assert.equal(err.message.split('\n').length, 1, err.message);
        assert.match(err.message, pattern);
        return true;
      },
    );
  bad(
    '  argv: python3 train.py\n  metrics: [e]',
    /^spec.yaml:4:\d+: command.argv: expected a list such as \[python3, train.py\]/,
  );
  bad(
    '  argv: [python3]\n  metrics: [e]\n  timeout: 30 minutes',
    /command.timeout: expected a duration such as 500ms.*got "30 minutes"/,
  );
  bad('  argv: [python3]\n  metrics: [e, e]', /command.metrics: metric names must not repeat/);
  bad(
    '  argv: [python3]\n  metrics: [e]\n  env: {OMP_NUM_THREADS: 1}',
    /command.env.OMP_NUM_THREADS: expected a string value \(quote numbers: "1"\)/,
  );
  bad(
    '  argv: [python3]\n  metrics: [e]\n  env: {PHASESWEEP_SEED: "1"}',
    /command.env.PHASESWEEP_SEED: is set by phasesweep itself/,
  );
  // Only the two CUDA variables phasesweep sets are reserved, and the message names them, not all of CUDA_*.
  bad(
    '  argv: [python3]\n  metrics: [e]\n  env: {CUDA_VISIBLE_DEVICES: "0"}',
    /command.env.CUDA_VISIBLE_DEVICES: is set by phasesweep itself \(PHASESWEEP_\*, CUDA_VISIBLE_DEVICES, CUDA_DEVICE_ORDER\)/,
  );
  assert.equal(
    parseCommandSpec(
      spec('  argv: [python3]\n  metrics: [e]\n  env: {CUDA_LAUNCH_BLOCKING: "1"}'),
      'spec.yaml',
    ).command.env.CUDA_LAUNCH_BLOCKING,
    '1',
  );
  bad('  argv: [python3]\n  metrics: [e]\n  shell: true', /command: Unrecognized key: "shell"/);
  bad('  argv: [python3]', /command.metrics: missing/);
});
