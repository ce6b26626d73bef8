import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandSlots, type Slot } from '../../../../workers/command/slots.ts';

// Slots for command cells: with GPUs, cells that hold slots at the same time never share a GPU, whatever
// number each asks for; a cell waits until enough GPUs are free.

test('concurrent cells get disjoint GPUs, and a waiting cell gets them once they are handed back', async () => {
  const slots = new CommandSlots(8, ['GPU-a', 'GPU-b', 'GPU-c', 'GPU-d']);
  assert.equal(slots.size, 4);
  const two = await slots.acquire(2);
  const one = await slots.acquire(1);
  assert.deepEqual(two.gpus, ['GPU-a', 'GPU-b']);
  assert.deepEqual(one.gpus, ['GPU-c']);
  let waiting: Slot | undefined;
  const next = slots.acquire(2).then((slot) => (waiting = slot));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(waiting, undefined, 'only one GPU is free');
  slots.release(one);
  await next;
  assert.deepEqual(waiting!.gpus!.sort(), ['GPU-c', 'GPU-d']);
  assert.deepEqual(
    two.gpus!.filter((g) => waiting!.gpus!.includes(g)),
    [],
  );
  await assert.rejects(slots.acquire(5), /a cell needs 5 GPUs \(resources\.gpus\), this worker has 4/);
});

test('without GPUs a worker has its cpu slots, one cell each', async () => {
  const slots = new CommandSlots(2);
  const a = await slots.acquire();
  const b = await slots.acquire();
  assert.notEqual(a.id, b.id);
  assert.equal(a.gpus, undefined);
  let third: Slot | undefined;
  const pending = slots.acquire().then((slot) => (third = slot));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(third, undefined);
  slots.release(b);
  await pending;
  assert.equal(third!.id, b.id);
});

test('a worker has as many cpu slots while cells hold them as when idle', async () => {
  const slots = new CommandSlots(2);
  await slots.acquire();
  assert.equal(slots.size, 2);
});

test('waiting cells get the slots first come, first served, each only when one is free', async () => {
  const slots = new CommandSlots(2);
  const held = [await slots.acquire(), await slots.acquire()];
  const served: number[] = [];
  const waiting = [0, 1, 2, 3].map((i) => slots.acquire().then((slot) => (served.push(i), slot)));
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  slots.release(held[0]);
  await settle();
  assert.deepEqual(served, [0]);
  slots.release(held[1]);
  slots.release(await waiting[0]);
  await settle();
  assert.deepEqual(served, [0, 1, 2]);
  for (const slot of await Promise.all(waiting.slice(1, 3))) slots.release(slot);
  await waiting[3];
  assert.deepEqual(served, [0, 1, 2, 3]);
});

test('with GPUs, a waiting cell that fits is served before one ahead of it that does not', async () => {
  const slots = new CommandSlots(8, ['GPU-a', 'GPU-b', 'GPU-c']);
  const held = [await slots.acquire(2), await slots.acquire(1)];
  const served: string[] = [];
  const big = slots.acquire(3).then((slot) => (served.push('three'), slot));
  const small = slots.acquire(1).then((slot) => (served.push('one'), slot));
  slots.release(held[1]);
  assert.deepEqual((await small).gpus, ['GPU-c']);
  assert.deepEqual(served, ['one']);
  slots.release(held[0]);
  slots.release(await small);
  assert.deepEqual((await big).gpus, ['GPU-a', 'GPU-b', 'GPU-c']);
});
