import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { LOG_TAIL_BYTES, LogSink } from '../../../../workers/command/log-sink.ts';
import { scratch } from './fixtures.ts';

// Chunks of every size around the tail's: a byte, lines, one over the whole tail, ones that end exactly
// where the kept window wraps.
const SIZES = [1, 57, 4_096, LOG_TAIL_BYTES - 1, 3, LOG_TAIL_BYTES + 17, 900, LOG_TAIL_BYTES, 5, 12_345];

function chunkOf(size: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, i) => 97 + ((i * 7 + seed) % 26)));
}

// Until the sink has read all that was written (it pauses the stream while the file catches up).
async function taken(stream: PassThrough): Promise<void> {
  do await new Promise((resolve) => setImmediate(resolve));
  while (stream.readableLength > 0 || stream.writableLength > 0);
}

async function pour(sink: LogSink, stream: PassThrough, chunks: Buffer[]): Promise<void> {
  for (const chunk of chunks) {
    stream.write(chunk);
    await taken(stream);
  }
  stream.end();
  await new Promise((resolve) => stream.once('end', resolve));
}

test('the log file holds all the output in order and the tail its last 64 KiB, at every size of chunk', async () => {
  const path = join(await scratch(), 'output.log');
  const sink = new LogSink(path, '@@phasesweep ', () => {});
  const out = new PassThrough();
  sink.attach(out, true);
  assert.equal(sink.tailText(), '', 'nothing printed, no tail');
  const chunks = SIZES.map(chunkOf);
  for (const [i, chunk] of chunks.entries()) {
    out.write(chunk);
    await taken(out);
    const sofar = Buffer.concat(chunks.slice(0, i + 1));
    assert.equal(sink.tailText(), sofar.subarray(-LOG_TAIL_BYTES).toString(), `after chunk ${i + 1}`);
  }
  out.end();
  await sink.close();
  assert.ok((await readFile(path)).equals(Buffer.concat(chunks)), 'the log is the output, byte for byte');
});

test('events on stdout are read line by line whatever the chunks, stderr goes to the log only', async () => {
  const path = join(await scratch(), 'output.log');
  const lines: string[] = [];
  const sink = new LogSink(path, '@@phasesweep ', (line) => lines.push(line));
  const out = new PassThrough();
  const err = new PassThrough();
  sink.attach(out, true);
  sink.attach(err, false);
  const text = 'warming up\n@@phasesweep {"type":"progress"}\nmore\n@@phasesweep {"type":"result"}\n';
  await pour(sink, err, [Buffer.from('@@phasesweep {"type":"not an event"}\n')]);
  await pour(sink, out, [
    Buffer.from(text.slice(0, 20)),
    Buffer.from(text.slice(20, 21)),
    Buffer.from(text.slice(21)),
  ]);
  await sink.close();
  assert.deepEqual(lines, ['@@phasesweep {"type":"progress"}', '@@phasesweep {"type":"result"}']);
  assert.equal(await readFile(path, 'utf8'), `@@phasesweep {"type":"not an event"}\n${text}`);
});
