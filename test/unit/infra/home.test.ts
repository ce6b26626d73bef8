import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureHome, resolveHome } from '../../../infra/local/home.ts';

const none = () => false;

test('PHASESWEEP_HOME wins, resolved against the current folder', () => {
  const choice = resolveHome(
    { PHASESWEEP_HOME: 'here', XDG_STATE_HOME: '/x' },
    '/srv/p',
    '/home/u',
    () => true,
  );
  assert.deepEqual(choice, { home: '/srv/p/here' });
});

test('default is $XDG_STATE_HOME/phasesweep, else ~/.local/state/phasesweep', () => {
  assert.equal(resolveHome({ XDG_STATE_HOME: '/s' }, '/p', '/home/u', none).home, '/s/phasesweep');
  assert.equal(resolveHome({}, '/p', '/home/u', none).home, '/home/u/.local/state/phasesweep');
  assert.equal(
    resolveHome({ XDG_STATE_HOME: '' }, '/p', '/home/u', none).home,
    '/home/u/.local/state/phasesweep',
  );
});

test('an old ./.phasesweep in the current folder is used, with a one-line notice naming both places', () => {
  const choice = resolveHome({}, '/p', '/home/u', (path) => path === '/p/.phasesweep');
  assert.equal(choice.home, '/p/.phasesweep');
  assert.ok(choice.notice);
  assert.ok(!choice.notice.includes('\n'));
  assert.ok(
    choice.notice.includes('/p/.phasesweep') && choice.notice.includes('/home/u/.local/state/phasesweep'),
  );
});

test('a PHASESWEEP_HOME that cannot be a folder is bad input in one line, not a raw mkdir error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-home-'));
  try {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    for (const home of [file, join(file, 'below')]) {
      assert.throws(
        () => ensureHome(home),
        (err: Error & { badInput?: boolean }) =>
          err.badInput === true &&
          err.message === `cannot use ${home} as the state folder (PHASESWEEP_HOME): a file is in the way`,
      );
    }
    ensureHome(join(dir, 'new', 'home'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
