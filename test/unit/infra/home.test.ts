import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveHome } from '../../../infra/local/home.ts';

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
