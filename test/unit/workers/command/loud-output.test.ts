import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { LOG_TAIL_BYTES } from '../../../../workers/command/log-sink.ts';
import { FIXTURES, scratch } from './fixtures.ts';

interface LoudRun {
  kind: string;
  tailBytes: number;
  tailEnd: string;
  logBytes: number;
  maxRssKiB: number;
}

async function loudRun(megabytes: number): Promise<LoudRun> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    join(FIXTURES, 'loud-run.ts'),
    await scratch(),
    String(megabytes),
  ]);
  return JSON.parse(stdout) as LoudRun;
}

// Garbage Buffers are collected when V8's external-memory limit (tens of MB) is reached, so the peak
// of one run says little, and below ~40 MB of output the peak is still climbing to that level (a lean
// sink's 10 MB run peaks lower than its 40 MB run); what holding the output would show is a peak that
// keeps growing with it beyond, so the memory is compared between 40 and 160 MB.
test('a program printing 10 MB: the log has all, the tail the end, and the memory does not grow with the output', async () => {
  const loud = await loudRun(10);
  const louder = await loudRun(40);
  const loudest = await loudRun(160);
  const mb = 1024 * 1024;
  const rest = '@@phasesweep {"type":"result","metrics":{"loss":0.5}}\nthe last line\n'.length;
  assert.equal(loud.kind, 'done', 'the event line among 10 MB of output is read');
  assert.equal(loud.logBytes, 15 * mb + 2 + rest);
  assert.equal(loud.tailBytes, LOG_TAIL_BYTES);
  assert.equal(loud.tailEnd, 'the last line\n');
  // Holding the output would add the 120 MB more of the loudest run (twice, as a string).
  const extraKiB = loudest.maxRssKiB - louder.maxRssKiB;
  assert.ok(extraKiB < 30 * 1024, `the runner's peak grew by ${extraKiB} KiB for 120 MB more output`);
});
