import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coalescedWrites } from '../../../activities/coalesced-writes.ts';

// A write whose end the test decides.
function controlledWrites() {
  const writes: { items: number[]; end: (err?: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<void>((resolve, reject) =>
      writes.push({ items, end: (err) => (err ? reject(err) : resolve()) }),
    );
  return { writes, write };
}

test('cells that finish while a write is in flight are stored together by the next write', async () => {
  const { writes, write } = controlledWrites();
  const store = coalescedWrites(write);
  const first = store(1);
  const rest = [store(2), store(3), store(4)];
  assert.deepEqual(
    writes.map((w) => w.items),
    [[1]],
    'the first cell is written at once',
  );
  writes[0].end();
  await first;
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(
    writes.map((w) => w.items),
    [[1], [2, 3, 4]],
    'one round trip for the three that came meanwhile',
  );
  writes[1].end();
  await Promise.all(rest);
});

test('cells that finish one at a time are each stored as they finish', async () => {
  const { writes, write } = controlledWrites();
  const store = coalescedWrites(write);
  for (const item of [1, 2, 3]) {
    const stored = store(item);
    writes.at(-1)!.end();
    await stored;
  }
  assert.deepEqual(
    writes.map((w) => w.items),
    [[1], [2], [3]],
  );
});

test('a failed write fails the cells it held, and the next write goes on', async () => {
  const { writes, write } = controlledWrites();
  const store = coalescedWrites(write);
  const first = store(1);
  const second = store(2);
  writes[0].end(new Error('database gone'));
  await assert.rejects(first, /database gone/);
  await new Promise((resolve) => setImmediate(resolve));
  writes[1].end();
  await second;
  assert.deepEqual(
    writes.map((w) => w.items),
    [[1], [2]],
  );
});
