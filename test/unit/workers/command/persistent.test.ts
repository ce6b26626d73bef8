import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { PersistentProgram } from '../../../../workers/command/persistent-program.ts';
import { groupMembers } from '../../../../workers/command/process-group.ts';
import { cellIn, runOf, scratch } from './fixtures.ts';

test('persistent mode: one process serves several cells, each answered by its own tagged events', async () => {
  const dir = await scratch();
  const program = new PersistentProgram(runOf('persistent.sh'), { slotDir: join(dir, 'slot') });
  const pids = new Set<number>();
  for (const seed of [3, 1, 4, 1, 5]) {
    const steps: number[] = [];
    const report = await program.runCell(cellIn(dir, { cellKey: `c${seed}-${pids.size}`, seed }), {
      onProgress: (p) => steps.push(p.step),
    });
    assert.equal(report.outcome.kind, 'done', report.outcome.message);
    assert.equal(report.outcome.metrics?.loss, seed);
    pids.add(report.outcome.metrics!.pid);
  }
  assert.equal(pids.size, 1, 'one process served every cell');
  assert.equal(program.starts, 1);
  await program.close();
  assert.deepEqual(await groupMembers([...pids][0]), [], 'closing stdin ended it');
});

test('persistent mode: a failed cell ends its process, the next cell starts a fresh one', async () => {
  const dir = await scratch();
  const program = new PersistentProgram(runOf('persistent.sh', { timeoutMs: 500, graceMs: 300 }), {
    slotDir: join(dir, 'slot'),
  });
  const run = (cellKey: string) => program.runCell(cellIn(dir, { cellKey }));
  const first = await run('a');
  assert.equal((await run('retry-b')).outcome.kind, 'retry');
  assert.deepEqual(await groupMembers(first.outcome.metrics!.pid), []);
  const partial = await run('partial-c');
  assert.equal(partial.outcome.kind, 'protocol_failure');
  assert.match(partial.outcome.message, /lacks loss/);
  const hang = await run('hang-d');
  assert.equal(hang.outcome.kind, 'timed_out');
  const last = await run('e');
  assert.equal(last.outcome.kind, 'done');
  assert.equal(program.starts, 4, 'a new process after each of the three failed cells');
  await program.close();
});
