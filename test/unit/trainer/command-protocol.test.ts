import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../../sweep/canonical-json.ts';
import {
  classifyEnding,
  commandKeyParts,
  GpuSlots,
  parseEvent,
  parseNvidiaSmiList,
  PROTOCOL_VERSION,
} from '../../../trainer/index.ts';

test('events: the three types parse, anything else is a problem that names what is wrong', () => {
  assert.deepEqual(parseEvent('{"type":"progress","step":3,"metrics":{"loss":0.5}}'), {
    ok: true,
    event: { type: 'progress', step: 3, metrics: { loss: 0.5 } },
  });
  assert.deepEqual(parseEvent('{"type":"checkpoint","path":"ck/3.pt","cell_key":"k"}'), {
    ok: true,
    event: { type: 'checkpoint', path: 'ck/3.pt', cell_key: 'k' },
  });
  const bad = (line: string) => {
    const parsed = parseEvent(line);
    assert.equal(parsed.ok, false, line);
    return parsed.ok ? '' : parsed.problem;
  };
  assert.match(bad('loss=0.5'), /^not JSON: loss=0.5/);
  assert.match(bad('{"type":"metric"}'), /"type" to be progress, checkpoint or result/);
  assert.match(
    bad('{"type":"result","metrics":{"loss":"0.5"}}'),
    /metrics.loss: metric values must be finite numbers/,
  );
  assert.match(bad('{"type":"progress","step":1.5}'), /step: expected a whole step number/);
});

test('outcomes: done only with exit 0 and every listed metric', () => {
  const end = (over: object) =>
    classifyEnding({ exitCode: 0, signal: null, problems: [], ...over }, ['test_error']);
  assert.equal(end({ result: { test_error: 0.1, extra: 1 } }).kind, 'done');
  assert.deepEqual(end({ result: { test_error: 0.1 } }).metrics, { test_error: 0.1 });
  assert.equal(end({}).kind, 'protocol_failure');
  assert.equal(
    end({ result: { test_error: 0 }, problems: ['more than one result event'] }).kind,
    'protocol_failure',
  );
  assert.deepEqual(
    [75, 64, 65, 1].map((exitCode) => end({ exitCode }).kind),
    ['retry', 'failed', 'failed', 'error'],
  );
  assert.equal(end({ exitCode: null, signal: 'SIGSEGV' }).message, 'killed by SIGSEGV');
  const timedOut = end({ exitCode: null, signal: 'SIGTERM', stopped: 'timeout', limit: '30m' });
  assert.deepEqual(
    [timedOut.kind, timedOut.retryable, timedOut.message],
    ['timed_out', true, 'ran longer than timeout 30m'],
  );
  assert.equal(end({ stopped: 'shutdown' }).retryable, true);
  assert.equal(end({ stopped: 'cancel' }).retryable, false);
});

test('key parts: the same program written in another env order has the same key; each part counts', () => {
  const base = { argv: ['python3', 'train.py'], env: { A: '1', B: '2' }, codeHash: 'abc' };
  const key = canonicalJson(commandKeyParts(base));
  assert.equal(canonicalJson(commandKeyParts({ ...base, env: { B: '2', A: '1' } })), key);
  assert.equal(commandKeyParts(base).protocol, PROTOCOL_VERSION);
  for (const other of [
    { ...base, argv: ['python3', 'train.py', '--fast'] },
    { ...base, env: { A: '1', B: '3' } },
    { ...base, codeHash: 'abd' },
  ])
    assert.notEqual(canonicalJson(commandKeyParts(other)), key);
});

test('GPU slots: nvidia-smi -L parsed by UUID; slots are disjoint and a waiting cell gets a released one', async () => {
  const listed = parseNvidiaSmiList(
    'GPU 0: Tesla T4 (UUID: GPU-aa)\nGPU 1: Tesla T4 (UUID: GPU-bb)\n  MIG 1g.5gb Device 0: (UUID: MIG-cc)\n',
  );
  assert.deepEqual(listed, ['GPU-aa', 'GPU-bb', 'MIG-cc']);
  const slots = new GpuSlots(['GPU-aa', 'GPU-bb', 'GPU-cc'], 1);
  const held = await Promise.all([slots.acquire(), slots.acquire(), slots.acquire()]);
  assert.equal(new Set(held.flat()).size, 3);
  let fourth: string[] | undefined;
  const waiting = slots.acquire().then((slot) => (fourth = slot));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(fourth, undefined, 'no slot is free');
  slots.release(held[1]);
  assert.deepEqual(await waiting, held[1]);
  assert.throws(() => new GpuSlots(['GPU-aa'], 2), /a cell needs 2 GPUs, this worker has 1/);
});
