import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const heapGrowth = fileURLToPath(new URL('../../../workers/heap-growth.ts', import.meta.url));

// What a worker does to its heap, in small: a live set that stays, and a stream of chunks of cells
// (a registration's inserts, the batches in flight) each held for a while and then dropped, so that
// they outlive the young generation and die in the old one. Prints the peak heap in MB.
const CHURN = `
const bound = process.argv[1] === 'bound';
if (bound) (await import(${JSON.stringify(heapGrowth)})).boundHeapGrowth();
const live = Array.from({ length: 300000 }, (_, i) => ({ a: 'x' + i, b: i, c: [i, i + 1] }));
const inFlight = [];
let peak = 0;
for (let chunk = 0; chunk < 200; chunk++) {
  const cells = [];
  for (let i = 0; i < 5000; i++) {
    const params = { method: 'noop', snr: i / 7, seed: chunk, d: 1000, m: 20, q: 3, lr: 0.1, steps: 100 };
    cells.push({ key: 'k' + chunk + '-' + i + '-'.repeat(40), params, json: JSON.stringify(params) });
  }
  inFlight.push(cells);
  if (inFlight.length > 16) inFlight.shift();
  await new Promise((resolve) => setImmediate(resolve));
  peak = Math.max(peak, process.memoryUsage().heapTotal);
}
console.log(Math.round(peak / 1048576), live.length);
`;

async function peakHeapMb(mode: 'bound' | 'default'): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', CHURN, mode],
    { cwd: fileURLToPath(new URL('../../..', import.meta.url)) },
  );
  return Number(stdout.trim().split(' ')[0]);
}

test('a worker process collects its old garbage before the heap grows far past what it holds', async () => {
  // The churn's live data (the live set and the 16 chunks in flight) is about 70 MB.
  const unbound = await peakHeapMb('default');
  const bound = await peakHeapMb('bound');
  // V8 left alone lets this churn's heap reach about 400 MB (bounded: about 180 MB), which is what made a worker's peak memory
  // follow its sweep's size: if it no longer does, this test no longer shows anything.
  assert.ok(
    unbound > 300,
    `V8's default heap peak for the churn was ${unbound} MB, expected it to grow past 300`,
  );
  assert.ok(bound < 250, `with the heap growth bounded the peak was ${bound} MB, expected under 250`);
});
