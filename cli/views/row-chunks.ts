import { csvRecord } from './csv.ts';

type Row = Record<string, unknown>;
type Pages = AsyncIterable<Row[]>;

// The text of `JSON.stringify(allRows, null, 2)`, produced a page at a time.
export async function* jsonArrayChunks(pages: Pages): AsyncGenerator<string> {
  let first = true;
  for await (const page of pages) {
    const items = page.map((row) => JSON.stringify(row, null, 2).replaceAll(/^/gm, '  '));
    yield `${first ? '[\n' : ',\n'}${items.join(',\n')}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}

// toCsv of all rows, a page at a time: the header comes from the first row, as toCsv takes it.
export async function* csvChunks(pages: Pages): AsyncGenerator<string> {
  let columns: string[] | undefined;
  for await (const page of pages) {
    const header = columns ? '' : csvRecord((columns = Object.keys(page[0])));
    yield header + page.map((row) => csvRecord(columns!.map((c) => row[c]))).join('');
  }
}

// The text of all rows in the chosen format, a page at a time.
export function rowChunks(pages: Pages, format: 'csv' | 'json'): AsyncGenerator<string> {
  return format === 'csv' ? csvChunks(pages) : jsonArrayChunks(pages);
}
