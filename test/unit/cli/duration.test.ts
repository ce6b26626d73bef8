import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../../../cli/duration.ts';
import { isBadInput } from '../../../cli/exit.ts';

test('parseDuration reads one number with one unit', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
});

test('parseDuration rejects anything else as bad input naming the option and the text', () => {
  for (const text of ['', '30', 's', '-5s', '0s', '5 m', '5min', '1m30s', 'abc']) {
    assert.throws(
      () => parseDuration(text, '--timeout'),
      (err: unknown) =>
        isBadInput(err) &&
        err instanceof Error &&
        err.message.includes('--timeout') &&
        err.message.includes(JSON.stringify(text)),
      text,
    );
  }
});
