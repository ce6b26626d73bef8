import assert from 'node:assert/strict';
import { test } from 'node:test';
import { throttledBeat } from '../../../activities/throttled-beat.ts';

test('the first beat goes at once; beats within the interval become one trailing beat with the latest details', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const sent: number[] = [];
  const beats = throttledBeat((done: number) => sent.push(done), 250);
  beats.beat(1);
  assert.deepEqual(sent, [1]);
  beats.beat(2);
  t.mock.timers.tick(100);
  beats.beat(3);
  t.mock.timers.tick(149);
  assert.deepEqual(sent, [1], 'held until 250 ms after the last one sent');
  t.mock.timers.tick(1);
  assert.deepEqual(sent, [1, 3]);
  t.mock.timers.tick(1_000);
  assert.deepEqual(sent, [1, 3], 'nothing new, nothing sent');
  beats.beat(4);
  assert.deepEqual(sent, [1, 3, 4], 'a beat after a quiet interval goes at once');
});

test('flush sends the held details at once, and nothing when none are held', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const sent: number[] = [];
  const beats = throttledBeat((done: number) => sent.push(done), 250);
  beats.beat(1);
  beats.beat(2);
  beats.flush();
  assert.deepEqual(sent, [1, 2]);
  beats.flush();
  t.mock.timers.tick(1_000);
  assert.deepEqual(sent, [1, 2], 'the trailing beat was the flushed one');
});
