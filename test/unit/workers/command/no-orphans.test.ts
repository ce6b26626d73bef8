import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { GroupRegistry } from '../../../../workers/command/group-registry.ts';
import { groupMembers } from '../../../../workers/command/process-group.ts';
import { alive, FIXTURES, scratch, writtenPids } from './fixtures.ts';

const GRACE_MS = 1_000;

async function until<T>(what: string, withinMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms`);
    await sleep(25);
  }
}

test('a worker SIGKILLed mid-cell leaves nothing of the program alive within grace + 2 s', async () => {
  const state = await scratch();
  const dir = await scratch();
  const worker = spawn(
    process.execPath,
    ['--import', 'tsx', join(FIXTURES, 'worker-stand-in.ts'), state, dir, String(GRACE_MS)],
    { stdio: 'inherit' },
  );
  const pids = await until('the tree started', 20_000, async () => {
    const written = await writtenPids(dir);
    return written.length === 3 ? written : undefined;
  });
  assert.equal((await alive(pids)).length, 3);
  worker.kill('SIGKILL');
  const killed = Date.now();
  await until('the tree ended', GRACE_MS + 2_000, async () =>
    (await alive(pids)).length === 0 ? true : undefined,
  );
  assert.ok(Date.now() - killed <= GRACE_MS + 2_000);
  // The watchdog removes the dead worker's list once done.
  await until('the list removed', 2_000, async () =>
    (await readdir(join(state, 'command-groups'))).length === 0 ? true : undefined,
  );
});

test('the next worker on the host ends the groups a dead worker listed, should its watchdog be gone too', async () => {
  const state = await scratch();
  const orphan = spawn('sh', ['-c', 'sleep 1000 & wait'], { detached: true, stdio: 'ignore' });
  const pgid = orphan.pid!;
  await until('the orphan group', 5_000, async () =>
    (await groupMembers(pgid)).length === 2 ? true : undefined,
  );
  // A list left by a worker whose pid is gone (pid 4194304 is above Linux's pid_max).
  const deadList = join(state, 'command-groups', '4194304-1');
  await mkdir(deadList, { recursive: true });
  await writeFile(join(deadList, String(pgid)), '');
  const registry = new GroupRegistry(state, 300);
  await registry.open();
  registry.close();
  assert.deepEqual(await groupMembers(pgid), []);
  const lists = await readdir(join(state, 'command-groups'));
  assert.equal(lists.includes('4194304-1'), false);
});
