import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CommandCell } from '../../../../activities/command-runner.ts';
import { CommandCellRunner } from '../../../../workers/command/cell-runner.ts';
import { alive } from '../../../helpers/command-faults.ts';
import { scratch } from './fixtures.ts';

// The worker's command runner with persistent programs on GPU slots: a program that serves one slot
// stays for that slot's next cell, and one that holds a GPU another slot now needs is ended first, so
// no GPU ever has two live programs.

const SERVER = `while read -r line; do
  key=$(printf '%s' "$line" | sed -n 's/.*"cell_key":"\\([^"]*\\)".*/\\1/p')
  echo "$$ $CUDA_VISIBLE_DEVICES" >>"$LOG"
  echo "@@phasesweep {\\"type\\":\\"result\\",\\"cell_key\\":\\"$key\\",\\"metrics\\":{\\"loss\\":1}}"
done
`;

test('persistent programs: one per slot, and none left on a GPU that another slot takes', async () => {
  const dir = await scratch();
  await writeFile(join(dir, 'server.sh'), SERVER);
  const log = join(dir, 'served.txt');
  const runner = await CommandCellRunner.open({
    stateDir: dir,
    cpuSlots: 1,
    gpus: ['GPU-a', 'GPU-b', 'GPU-c', 'GPU-d'],
  });
  const cell = (key: string, gpus: number): CommandCell => ({
    command: {
      argv: ['sh', 'server.sh'],
      cwd: dir,
      env: { LOG: log },
      metrics: ['loss'],
      timeout: 30_000,
      grace: 1_000,
      persistent: true,
    },
    gpus,
    cellKey: key,
    params: {},
    seed: 0,
    attempt: 1,
    resumeFrom: null,
    signal: new AbortController().signal,
    onProgress: () => {},
  });
  const served = async () =>
    (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
  try {
    for (const [key, gpus] of [
      ['one', 2],
      ['two', 2],
    ] as const)
      assert.equal((await runner.run(cell(key, gpus))).outcome.kind, 'done');
    const [[first, firstGpus], [second]] = await served();
    assert.equal(firstGpus, 'GPU-a,GPU-b');
    assert.equal(second, first, "the slot's program served its next cell");
    assert.equal((await runner.run(cell('three', 1))).outcome.kind, 'done');
    const [, , [third, thirdGpus]] = await served();
    assert.equal(thirdGpus, 'GPU-a');
    assert.notEqual(third, first);
    assert.deepEqual(await alive([Number(first)]), [], 'the program on GPU-a,GPU-b was ended first');
  } finally {
    await runner.close();
  }
  const [, , [third]] = await served();
  assert.deepEqual(await alive([Number(third)]), [], 'close ends the persistent programs');
});

test('a state folder that cannot be written does not stop the worker from starting: it says so', async () => {
  const dir = await scratch();
  await writeFile(join(dir, 'a-file'), '');
  const lines: string[] = [];
  const runner = await CommandCellRunner.open({
    stateDir: join(dir, 'a-file', 'state'),
    cpuSlots: 1,
    log: (line) => lines.push(line),
  });
  await runner.close();
  assert.equal(lines.length, 1);
  assert.match(lines[0], /cannot list process groups under .*a-file\/state/);
});
