import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBadInput } from '../../../cli/exit.ts';
import { durationMs, formatDuration, parseDuration } from '../../../sweep/duration.ts';

test('parseDuration reads one number with one unit, days included', () => {
  assert.equal(parseDuration('500ms', '--timeout'), 500);
  assert.equal(parseDuration('30s', '--timeout'), 30_000);
  assert.equal(parseDuration('5m', '--timeout'), 300_000);
  assert.equal(parseDuration('1.5h', '--timeout'), 5_400_000);
  assert.equal(parseDuration('1d', '--catchup-window'), 86_400_000);
});

test('parseDuration rejects anything else as bad input naming the option, the grammar and the text', () => {
  for (const text of ['', '30', 's', '-5s', '0s', '5 m', '5min', '1m30s', 'abc', '1 day', '1e3s', '2w']) {
    assert.equal(durationMs(text), undefined, text);
    assert.throws(
      () => parseDuration(text, '--timeout'),
      (err: unknown) =>
        isBadInput(err) &&
        err instanceof Error &&
        err.message ===
          `--timeout: expected a duration such as 500ms, 30s, 5m, 1h or 1d, got ${JSON.stringify(text)}`,
      text,
    );
  }
});

test('formatDuration writes the grammar back in the largest whole unit', () => {
  for (const text of ['500ms', '30s', '5m', '1h', '1d', '90m', '36h', '1500ms']) {
    assert.equal(formatDuration(parseDuration(text, 'x')), text);
  }
  assert.equal(formatDuration(parseDuration('1.5h', 'x')), '90m');
});
