// A fingerprint of every result field (all but wall time) of the 6.1 and 6.3 grids, trained on this
// thread (its wall and CPU seconds beside): an optimisation that keeps the trainer's version must leave both hashes unchanged.
// Usage: node --import tsx bench/result-hash.ts [--skip-simclr]
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { trainCells, type CellParams, type CellResult } from '../trainer/index.ts';
import { simclrGrid, supervisedGrid } from './grids.ts';

const { values: args } = parseArgs({
  options: { 'skip-simclr': { type: 'boolean', default: false } },
});

/** Numbers by their exact bits (JSON would print -0 as 0 and NaN as null). */
function fingerprint(results: CellResult[]): string {
  const hash = createHash('sha256');
  const bits = new DataView(new ArrayBuffer(8));
  const put = (value: unknown): void => {
    if (typeof value === 'number') {
      bits.setFloat64(0, value);
      hash.update(new Uint8Array(bits.buffer));
    } else if (Array.isArray(value)) value.forEach(put);
    else if (value !== null && typeof value === 'object')
      for (const key of Object.keys(value).sort()) {
        hash.update(key);
        put((value as Record<string, unknown>)[key]);
      }
    else hash.update(String(value));
  };
  for (const { wall_ms: _wall, ...rest } of results) put(rest);
  return hash.digest('hex');
}

async function report(label: string, cells: CellParams[]): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const results = await trainCells(cells);
  const c = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = (c.user + c.system) / 1e6;
  console.log(
    `${label}: ${cells.length} cells, sha256 ${fingerprint(results)} (one thread: ${seconds.toFixed(2)} s, ${cpu.toFixed(2)} CPU s)`,
  );
}

await report('6.1', supervisedGrid());
if (!args['skip-simclr']) {
  const { simclr, supervised } = simclrGrid();
  await report('6.3', [...simclr, ...supervised]);
}
