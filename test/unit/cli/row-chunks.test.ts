import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvChunks, jsonArrayChunks } from '../../../cli/views/row-chunks.ts';
import { toCsv } from '../../../cli/views/csv.ts';

async function* pagesOf(rows: Record<string, unknown>[], size: number) {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

const rows = Array.from({ length: 7 }, (_, i) => ({
  ordinal: i,
  status: i % 3 === 0 ? 'failed' : 'done',
  test_error: i / 7,
  failure: i === 3 ? 'line one\nline "two", with a comma' : null,
  nested: { tau: 0.5, head: ['mlp', i] },
  finished_at: new Date(Date.UTC(2026, 10, 30, 12, i)),
}));

describe('results and export, a page at a time', () => {
  for (const size of [1, 3, 7, 100]) {
    it(`pages of ${size} give exactly the text of the whole array`, async () => {
      assert.equal(await text(jsonArrayChunks(pagesOf(rows, size))), `${JSON.stringify(rows, null, 2)}\n`);
      assert.equal(await text(csvChunks(pagesOf(rows, size))), toCsv(rows));
    });
  }

  it('no rows: an empty JSON array and no CSV at all, as before paging', async () => {
    assert.equal(await text(jsonArrayChunks(pagesOf([], 3))), '[]\n');
    assert.equal(await text(csvChunks(pagesOf([], 3))), '');
    assert.equal(toCsv([]), '');
  });
});
