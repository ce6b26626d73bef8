import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = join(ROOT, 'test', 'fixtures', 'command');

function check(spec: string) {
  const out = spawnSync(process.execPath, [join(ROOT, 'bin', 'phasesweep.js'), 'command', 'check', spec], {
    encoding: 'utf8',
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const line = (stdout: string, name: string) => stdout.split('\n').find((l) => l.includes(name)) ?? '';

test('command check passes the shell example, check by check', () => {
  const { code, stdout } = check(join(ROOT, 'examples', 'command', 'minimal', 'spec.yaml'));
  assert.equal(code, 0, stdout);
  assert.match(stdout, /on the first cell: \{"lr":0.1\}, seed 0/);
  assert.match(line(stdout, 'starts and exits 0'), /^ {2}ok /);
  assert.match(line(stdout, 'reads its input'), /^ {2}ok /);
  assert.match(line(stdout, 'writes one result with loss'), /^ {2}ok .*loss=0.59049/);
  assert.match(line(stdout, 'bitwise deterministic for seed 0'), /^ {2}ok /);
  assert.match(stdout, /the program keeps the protocol/);
});

test('command check on a program without a result names both problems, their fixes and its log', () => {
  const { code, stdout } = check(join(FIXTURES, 'no-result.yaml'));
  assert.equal(code, 1);
  assert.match(line(stdout, 'reads its input'), /^ {2}fail .*stdin was left unread/);
  assert.match(line(stdout, 'writes one result'), /^ {2}fail .*exited 0 without a result event/);
  assert.match(stdout, /fix: append one line \{"type": "result"/);
  assert.match(stdout, /\| Traceback: something the user must see/);
  assert.match(stdout, /2 of 3 checks failed/);
});

test('command check on a program that ignores SIGTERM and varies from run to run', () => {
  const { code, stdout } = check(join(FIXTURES, 'deaf.yaml'));
  assert.equal(code, 1);
  assert.match(line(stdout, 'writes one result'), /^ {2}ok /);
  assert.match(line(stdout, 'bitwise deterministic for seed 7'), /^ {2}fail .*: loss: \d+ then \d+/);
  assert.match(stdout, /fix: seed every random generator/);
  assert.match(line(stdout, 'ends within grace (300ms) of a SIGTERM'), /^ {2}fail .*needed SIGKILL/);
});

test('command check on a bad command: section is one line, exit 2', () => {
  const spec = join(FIXTURES, 'bad-command.yaml');
  const { code, stdout, stderr } = check(spec);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.equal(
    stderr,
    `phasesweep: ${spec}:3:64: command.timeout: expected a duration such as 500ms, 30s, 5m, 1h or 1d, got "soon"\n`,
  );
});
