import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { CommandLauncher } from '../../../../workers/command/launcher.ts';
import { groupMembers, procStat } from '../../../../workers/command/process-group.ts';
import {
  alive,
  orphanOfDeadWorker,
  treeEnded,
  treeStarted,
  until,
  writtenPids,
} from '../../../helpers/command-faults.ts';
import { cellIn, FIXTURES, runOf, scratch } from './fixtures.ts';

const GRACE_MS = 500;

// Forking copies the forking process's page tables, so a worker holding its training threads' memory
// would block for milliseconds per program: programs are children of the small launcher instead.
test('the launcher, not the worker, starts the program; its events and outcome come back', async () => {
  const dir = await scratch();
  const launcher = new CommandLauncher({ stateDir: join(dir, 'state'), graceMs: GRACE_MS });
  try {
    const run = runOf('', {
      argv: [
        'sh',
        '-c',
        `echo $PPID >"$PHASESWEEP_OUT_DIR/parent"
         read -r input
         echo '{"type":"progress","step":3,"metrics":{"loss":0.25}}' >>"$PHASESWEEP_EVENTS"
         echo 'some output'
         echo '@@phasesweep {"type":"result","metrics":{"loss":0.125}}'`,
      ],
    });
    const steps: number[] = [];
    const report = await launcher.runAttempt(run, cellIn(dir), {
      attemptDir: join(dir, 'a1'),
      onProgress: (p) => steps.push(p.step),
    });
    assert.equal(report.outcome.kind, 'done', report.outcome.message);
    assert.deepEqual(report.outcome.metrics, { loss: 0.125 });
    assert.deepEqual(steps, [3]);
    assert.match(report.logTail, /some output/);
    const parent = Number(await readFile(join(dir, 'out', 'parent'), 'utf8'));
    assert.equal(parent, launcher.pid);
    assert.notEqual(parent, process.pid);
  } finally {
    await launcher.close();
  }
});

test('cancelling through the launcher ends the whole tree, SIGKILL after the grace', async () => {
  const dir = await scratch();
  const launcher = new CommandLauncher({ stateDir: join(dir, 'state'), graceMs: GRACE_MS });
  try {
    const cancel = new AbortController();
    const attempt = launcher.runAttempt(runOf('tree-hang.sh', { graceMs: GRACE_MS }), cellIn(dir), {
      attemptDir: join(dir, 'a1'),
      signal: cancel.signal,
    });
    const pids = await treeStarted(dir);
    cancel.abort();
    const report = await attempt;
    assert.equal(report.outcome.kind, 'cancelled');
    assert.equal(report.stoppedBy, 'kill', 'the tree is deaf to SIGTERM');
    assert.deepEqual(await alive(pids), [], 'the attempt resolves once the group is empty');
  } finally {
    await launcher.close();
  }
});

test('persistent mode through the launcher: one process serves the slot until it is closed', async () => {
  const dir = await scratch();
  const launcher = new CommandLauncher({ stateDir: join(dir, 'state'), graceMs: GRACE_MS });
  try {
    const slot = launcher.persistent(runOf('persistent.sh'), { slotDir: join(dir, 'slot') });
    const first = await slot.runCell(cellIn(dir, { cellKey: 'a', seed: 2 }));
    const second = await slot.runCell(cellIn(dir, { cellKey: 'b', seed: 5 }));
    assert.deepEqual([first.outcome.metrics?.loss, second.outcome.metrics?.loss], [2, 5]);
    assert.equal(first.outcome.metrics?.pid, second.outcome.metrics?.pid, 'one process served both');
    assert.equal(slot.starts, 1);
    await slot.close();
    const pid = first.outcome.metrics!.pid;
    await until('the program ended', 5_000, async () =>
      (await alive([pid])).length === 0 ? true : undefined,
    );
  } finally {
    await launcher.close();
  }
});

test('a worker SIGKILLed mid-cell: its launcher ends the program tree within grace + 2 s, then exits', async () => {
  const state = await scratch();
  const dir = await scratch();
  const worker = spawn(
    process.execPath,
    ['--import', 'tsx', join(FIXTURES, 'launcher-stand-in.ts'), state, dir, String(GRACE_MS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(worker.stdout!, 'data')) as [Buffer];
  const launcherPid = (JSON.parse(line.toString()) as { launcher: number }).launcher;
  const pids = await treeStarted(dir);
  worker.kill('SIGKILL');
  const killed = Date.now();
  await treeEnded(pids, GRACE_MS + 2_000);
  assert.ok(Date.now() - killed <= GRACE_MS + 2_000);
  await until('the launcher exited', 5_000, async () =>
    (await procStat(launcherPid))?.state === undefined || (await procStat(launcherPid))?.state === 'Z'
      ? true
      : undefined,
  );
});

test('start() resolves once the launcher has ended the groups a dead worker listed', async () => {
  const state = await scratch();
  const pgid = await orphanOfDeadWorker(state);
  const launcher = new CommandLauncher({ stateDir: state, graceMs: GRACE_MS });
  try {
    await launcher.start();
    assert.deepEqual(await groupMembers(pgid), []);
  } finally {
    await launcher.close();
  }
});

test('the launcher SIGKILLed mid-cell: the watchdog ends each program after its own grace', async () => {
  const state = await scratch();
  const deaf = await scratch();
  const tidy = await scratch();
  // A grace for groups listed without one, far from both programs' own.
  const launcher = new CommandLauncher({ stateDir: state, graceMs: 30_000 });
  await launcher.start();
  // Deaf to SIGTERM, with a 1 s grace: SIGKILLed about 1 s after the launcher died.
  const hanging = launcher.runAttempt(runOf('tree-hang.sh', { graceMs: 1_000 }), cellIn(deaf), {
    attemptDir: join(deaf, 'a1'),
  });
  // Takes 2 s to clean up on SIGTERM, with a 6 s grace: it must be left to finish.
  const cleanUp = `echo $$ >"$PHASESWEEP_OUT_DIR/pids"
trap 'sleep 2; echo cleaned >"$PHASESWEEP_OUT_DIR/cleaned"; exit 0' TERM
sleep 1000 & wait`;
  const cleaning = launcher.runAttempt(
    runOf('', { argv: ['sh', '-c', cleanUp], graceMs: 6_000 }),
    cellIn(tidy, { cellKey: 'cell-2' }),
    { attemptDir: join(tidy, 'a1') },
  );
  const lost = Promise.allSettled([hanging, cleaning]);
  const tree = await treeStarted(deaf);
  const [cleaner] = await until('the tidy program started', 20_000, async () => {
    const pids = await writtenPids(tidy);
    return pids.length === 1 ? pids : undefined;
  });
  process.kill(launcher.pid!, 'SIGKILL');
  const killed = Date.now();
  await until('the deaf tree ended', 1_000 + 2_000, async () =>
    (await alive(tree)).length === 0 ? true : undefined,
  );
  await until('the tidy program ended', 6_000 + 2_000, async () =>
    (await alive([cleaner])).length === 0 ? true : undefined,
  );
  assert.ok(Date.now() - killed >= 2_000, 'the tidy program had the time it took to clean up');
  assert.equal(
    (await readFile(join(tidy, 'out', 'cleaned'), 'utf8')).trim(),
    'cleaned',
    'it ended on SIGTERM, within its grace',
  );
  assert.deepEqual(
    (await lost).map((r) => r.status),
    ['rejected', 'rejected'],
  );
  await launcher.close();
});
