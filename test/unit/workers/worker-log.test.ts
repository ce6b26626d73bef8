import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logLine } from '../../../workers/runtime.ts';

// A worker's log goes to files and pipes: one line per entry, no colour codes, whatever the SDK passes.
test('an SDK warning with a multi-line message, coloured text and an error in its meta is one plain line', () => {
  const err = new Error('connection refused');
  const line = logLine(
    {
      level: 'WARN',
      message: '\u001b[33mFailed to poll\u001b[39m\n    at poll (core.rs:1)\n    at next (core.rs:2)',
      meta: { taskQueue: 'train-cpu', error: err, attempt: 3n, nested: { detail: 'a\nb' } },
    },
    new Date('2026-11-30T12:00:00Z'),
  );
  assert.doesNotMatch(line, /\n/);
  assert.ok(!line.includes('\u001b'), line);
  assert.match(line, /^2026-11-30T12:00:00\.000Z \[WARN\] Failed to poll \| at poll \(core\.rs:1\)/);
  assert.match(line, /"taskQueue":"train-cpu"/);
  assert.match(line, /"error":"Error: connection refused"/);
  assert.match(line, /"attempt":"3"/);
});

test('an entry without meta ends after its message', () => {
  const line = logLine({ level: 'ERROR', message: 'worker stopped' }, new Date('2026-11-30T12:00:00Z'));
  assert.equal(line, '2026-11-30T12:00:00.000Z [ERROR] worker stopped');
});
