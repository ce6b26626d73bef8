// Every duration a user writes on the command line has the one grammar (sweep/duration.ts): `1d` is
// accepted everywhere, `1 day` nowhere, and a refusal is one line naming the option and the grammar.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runPhasesweep } from '../../helpers/stack.ts';

// Unreachable endpoints: a command that got past its flags fails on connecting (exit 1), not with exit 2.
const ENV = { DATABASE_URL: 'postgres://u:p@127.0.0.1:9/x', TEMPORAL_ADDRESS: '127.0.0.1:9' };
const SPEC = fileURLToPath(new URL('../../../examples/default.yaml', import.meta.url));
const GRAMMAR = 'expected a duration such as 500ms, 30s, 5m, 1h or 1d';

const commands: [option: string, args: (duration: string) => string[]][] = [
  ['--catchup-window', (d) => ['schedule', 'create', 'nightly', SPEC, '--catchup-window', d]],
  ['--timeout', (d) => ['schedule', 'trigger', 'nightly', '--timeout', d]],
  ['--timeout', (d) => ['watch', 'some-sweep', '--timeout', d]],
  ['--heartbeat-timeout', (d) => ['worker', '--heartbeat-timeout', d]],
];

test('a duration outside the grammar is one line naming the option, exit 2', async () => {
  for (const [option, args] of commands) {
    const r = await runPhasesweep(args('1 day'), ENV, 60_000);
    assert.equal(r.code, 2, `${args('1 day').join(' ')}: ${r.stdout}${r.stderr}`);
    const [first] = r.stderr.trim().split('\n');
    assert.ok(first.endsWith(`${option}: ${GRAMMAR}, got "1 day"`), first);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('1d is a duration for every option that takes one', async () => {
  for (const [option, args] of commands) {
    const r = await runPhasesweep(args('1d'), ENV, 60_000);
    assert.doesNotMatch(r.stderr, new RegExp(`${option}: expected`), args('1d').join(' '));
    assert.notEqual(r.code, 0);
  }
});
