import assert from 'node:assert/strict';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { GpuSlots } from '../../../../trainer/index.ts';
import { discoverGpus } from '../../../../workers/command/gpu-discovery.ts';
import { runAttempt } from '../../../../workers/command/run-attempt.ts';
import { cellIn, runOf, scratch } from './fixtures.ts';

const UUIDS = [
  'GPU-0a1b2c3d-0000-1111-2222-333344445555',
  'GPU-1a1b2c3d-0000-1111-2222-333344445555',
  'GPU-2a1b2c3d-0000-1111-2222-333344445555',
  'GPU-3a1b2c3d-0000-1111-2222-333344445555',
];

// A stand-in nvidia-smi on PATH that lists four GPUs as the real one does.
async function standInPath(): Promise<string> {
  const bin = await scratch();
  const lines = UUIDS.map((uuid, i) => `GPU ${i}: NVIDIA A100-SXM4-40GB (UUID: ${uuid})`).join('\n');
  await writeFile(
    join(bin, 'nvidia-smi'),
    `#!/bin/sh\n[ "$1" = -L ] || exit 9\ncat <<'EOF'\n${lines}\nEOF\n`,
  );
  await chmod(join(bin, 'nvidia-smi'), 0o755);
  return `${bin}:${process.env.PATH}`;
}

test('--gpus all|N|UUIDs picks from what nvidia-smi -L lists; PHASESWEEP_GPUS where there is none', async () => {
  const env = { PATH: await standInPath() };
  assert.deepEqual(await discoverGpus('all', env), UUIDS);
  assert.deepEqual(await discoverGpus('2', env), UUIDS.slice(0, 2));
  assert.deepEqual(await discoverGpus(`${UUIDS[3]},${UUIDS[1]}`, env), [UUIDS[3], UUIDS[1]]);
  await assert.rejects(discoverGpus('5', env), {
    badInput: true,
    message: /asked for 5 GPUs, this host has 4/,
  });
  await assert.rejects(discoverGpus('GPU-nope', env), { message: /GPU-nope is not a GPU of this host/ });
  await assert.rejects(discoverGpus('two', env), { message: /--gpus: expected all, a count or GPU UUIDs/ });
  const bare = { PATH: '/nonexistent', PHASESWEEP_GPUS: UUIDS.slice(0, 2).join(',') };
  assert.deepEqual(await discoverGpus('all', bare), UUIDS.slice(0, 2));
  await assert.rejects(discoverGpus('all', { PATH: '/nonexistent' }), {
    message: /nvidia-smi is not installed and PHASESWEEP_GPUS is not set/,
  });
});

test('concurrent cells on GPU slots get disjoint UUIDs, in PCI bus order, and slots are reused', async () => {
  const gpus = await discoverGpus('all', { PATH: await standInPath() });
  const slots = new GpuSlots(gpus, 2);
  assert.equal(slots.size, 2);
  const dir = await scratch();
  const cells = Array.from({ length: 6 }, (_, i) => i);
  await Promise.all(
    cells.map(async (i) => {
      const slot = await slots.acquire();
      try {
        const report = await runAttempt(
          runOf('gpu-cell.sh'),
          cellIn(dir, { cellKey: `c${i}`, outDir: join(dir, `out${i}`) }),
          {
            attemptDir: join(dir, `a${i}`),
            gpus: slot,
          },
        );
        assert.equal(report.outcome.kind, 'done', report.outcome.message);
      } finally {
        slots.release(slot);
      }
    }),
  );
  const held = (await readFile(join(dir, 'gpus'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => {
      const [visible, order, start, end] = line.split(' ');
      return { uuids: visible.split(','), order, start: BigInt(start), end: BigInt(end) };
    });
  assert.equal(held.length, 6);
  for (const cell of held) {
    assert.equal(cell.order, 'PCI_BUS_ID');
    assert.equal(cell.uuids.length, 2);
  }
  let overlapping = 0;
  for (const a of held)
    for (const b of held) {
      if (a === b || a.end < b.start || b.end < a.start) continue;
      overlapping++;
      assert.deepEqual(
        a.uuids.filter((uuid) => b.uuids.includes(uuid)),
        [],
        'overlapping cells share no GPU',
      );
    }
  assert.ok(overlapping > 0, 'some cells did run at the same time');
});
