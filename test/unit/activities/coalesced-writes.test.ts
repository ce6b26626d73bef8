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
  const groups = () => writes.map((w) => w.items);
  return { writes, write, groups };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('without a linger, cells that finish while a write is in flight are stored together by the next write', async () => {
  const { writes, write, groups } = controlledWrites();
  const { store } = coalescedWrites(write, 0);
  const first = store(1);
  const rest = [store(2), store(3), store(4)];
  assert.deepEqual(groups(), [[1]], 'the first cell is written at once');
  writes[0].end();
  await first;
  await settle();
  assert.deepEqual(groups(), [[1], [2, 3, 4]], 'one round trip for the three that came meanwhile');
  writes[1].end();
  await Promise.all(rest);
});

test('cells that finish within the linger share one write; none is written before it passes', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { writes, write, groups } = controlledWrites();
  const { store } = coalescedWrites(write, 100);
  const stored = [store(1)];
  t.mock.timers.tick(40);
  stored.push(store(2), store(3));
  t.mock.timers.tick(59);
  assert.deepEqual(groups(), [], 'the first cell has waited 99 ms');
  t.mock.timers.tick(1);
  assert.deepEqual(groups(), [[1, 2, 3]]);
  writes[0].end();
  await Promise.all(stored);
});

test('cells that finish during a write wait the linger from the first of them, then go together', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { writes, write, groups } = controlledWrites();
  const { store } = coalescedWrites(write, 100);
  const first = store(1);
  t.mock.timers.tick(100);
  assert.deepEqual(groups(), [[1]]);
  const during = [store(2)];
  t.mock.timers.tick(30);
  during.push(store(3));
  writes[0].end();
  await first;
  await settle();
  assert.deepEqual(groups(), [[1]], 'the write ended 30 ms after cell 2 came: it waits on');
  t.mock.timers.tick(70);
  assert.deepEqual(groups(), [[1], [2, 3]]);
  writes[1].end();
  await Promise.all(during);
});

test('a cell that waited the linger while a write was in flight goes as soon as that write ends', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { writes, write, groups } = controlledWrites();
  const { store } = coalescedWrites(write, 100);
  const first = store(1);
  t.mock.timers.tick(100);
  const second = store(2);
  t.mock.timers.tick(500);
  writes[0].end();
  await first;
  await settle();
  assert.deepEqual(groups(), [[1], [2]]);
  writes[1].end();
  await second;
});

test('flush writes what waits at once, and every later cell without waiting', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { writes, write, groups } = controlledWrites();
  const writer = coalescedWrites(write, 100);
  const first = [writer.store(1), writer.store(2)];
  writer.flush();
  assert.deepEqual(groups(), [[1, 2]]);
  const late = writer.store(3);
  writes[0].end();
  await Promise.all(first);
  await settle();
  assert.deepEqual(groups(), [[1, 2], [3]], 'no timer had to pass');
  writes[1].end();
  await late;
});

test('a failed write fails the cells it held, and the next write goes on', async () => {
  const { writes, write, groups } = controlledWrites();
  const { store } = coalescedWrites(write, 0);
  const first = store(1);
  const second = store(2);
  writes[0].end(new Error('database gone'));
  await assert.rejects(first, /database gone/);
  await settle();
  writes[1].end();
  await second;
  assert.deepEqual(groups(), [[1], [2]]);
});
