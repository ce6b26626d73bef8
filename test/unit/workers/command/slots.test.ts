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
