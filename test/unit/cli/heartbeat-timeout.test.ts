import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEARTBEAT_TIMEOUT_ENV, heartbeatTimeoutSetting } from '../../../cli/heartbeat-timeout.ts';
import { isBadInput } from '../../../cli/exit.ts';
import { runPhasesweep } from '../../helpers/stack.ts';

test('the worker heartbeat timeout comes from --heartbeat-timeout, else the environment, else none', () => {
  assert.equal(heartbeatTimeoutSetting('20s', {}), 20_000);
  assert.equal(heartbeatTimeoutSetting(undefined, { [HEARTBEAT_TIMEOUT_ENV]: '2m' }), 120_000);
  assert.equal(heartbeatTimeoutSetting('5s', { [HEARTBEAT_TIMEOUT_ENV]: '2m' }), 5_000);
  assert.equal(heartbeatTimeoutSetting(undefined, {}), undefined);
  assert.equal(heartbeatTimeoutSetting(undefined, { [HEARTBEAT_TIMEOUT_ENV]: '' }), undefined);
  assert.equal(heartbeatTimeoutSetting('24h', {}), 86_400_000);
  assert.equal(heartbeatTimeoutSetting('1d', {}), 86_400_000);
});

test('a bad heartbeat timeout is bad input naming where it came from and the value', () => {
  const cases: [string | undefined, string | undefined, string][] = [
    ['500ms', undefined, '--heartbeat-timeout'],
    ['25h', undefined, '--heartbeat-timeout'],
    ['30', undefined, '--heartbeat-timeout'],
    ['-5s', undefined, '--heartbeat-timeout'],
    [undefined, 'soon', HEARTBEAT_TIMEOUT_ENV],
    [undefined, '0s', HEARTBEAT_TIMEOUT_ENV],
  ];
  for (const [flag, env, source] of cases) {
    const text = flag ?? env!;
    assert.throws(
      () => heartbeatTimeoutSetting(flag, { [HEARTBEAT_TIMEOUT_ENV]: env }),
      (err: unknown) =>
        isBadInput(err) &&
        err instanceof Error &&
        err.message.startsWith(`${source}: `) &&
        err.message.includes(JSON.stringify(text)),
      text,
    );
  }
});

test('phasesweep worker with a bad heartbeat timeout exits 2 before connecting anywhere', async () => {
  // Unreachable endpoints: had the worker got past its settings, it would fail differently (exit 1).
  const env = { DATABASE_URL: 'postgres://u:p@127.0.0.1:9/x', TEMPORAL_ADDRESS: '127.0.0.1:9' };
  for (const [args, extra, message] of [
    [['--heartbeat-timeout', '0.2s'], {}, /--heartbeat-timeout: expected between 1s and 1d, got "0\.2s"/],
    [[], { [HEARTBEAT_TIMEOUT_ENV]: 'often' }, /PHASESWEEP_HEARTBEAT_TIMEOUT: expected a duration/],
  ] as const) {
    const r = await runPhasesweep(['worker', ...args], { ...env, ...extra }, 60_000);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});
