import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { GroupRegistry } from '../../../../workers/command/group-registry.ts';
import { groupMembers } from '../../../../workers/command/process-group.ts';
import { alive, orphanOfDeadWorker, treeEnded, treeStarted, until } from '../../../helpers/command-faults.ts';
import { FIXTURES, scratch } from './fixtures.ts';

const GRACE_MS = 1_000;

test('a worker SIGKILLed mid-cell leaves nothing of the program alive within grace + 2 s', async () => {
  const state = await scratch();
  const dir = await scratch();
  const worker = spawn(
    process.execPath,
    ['--import', 'tsx', join(FIXTURES, 'worker-stand-in.ts'), state, dir, String(GRACE_MS)],
    { stdio: 'inherit' },
  );
  const pids = await treeStarted(dir);
  assert.equal((await alive(pids)).length, 3);
  worker.kill('SIGKILL');
  const killed = Date.now();
  await treeEnded(pids, GRACE_MS + 2_000);
  assert.ok(Date.now() - killed <= GRACE_MS + 2_000);
  // The watchdog removes the dead worker's list once done.
  await until('the list removed', 2_000, async () =>
    (await readdir(join(state, 'command-groups'))).length === 0 ? true : undefined,
  );
});

test('the next worker on the host ends the groups a dead worker listed, should its watchdog be gone too', async () => {
  const state = await scratch();
  const pgid = await orphanOfDeadWorker(state);
  const registry = new GroupRegistry(state, 300);
  await registry.open();
  registry.close();
  assert.deepEqual(await groupMembers(pgid), []);
  const lists = await readdir(join(state, 'command-groups'));
  assert.equal(lists.includes('4194304-1'), false);
});
