import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// A Markdown table is a header row, a delimiter row, then rows; a row that follows a paragraph line
// instead is drawn as text. Sections are edited by several people at once, so a merge can strand rows.
test('every table row of the README belongs to a table with a header', () => {
  const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8');
  const lines = readme.split('\n');
  const stranded: string[] = [];
  let inCode = false;
  lines.forEach((line, i) => {
    if (line.startsWith('```')) inCode = !inCode;
    if (inCode || !line.startsWith('|')) return;
    const before = lines[i - 1] ?? '';
    const startsTable = /^\|[\s|:-]+\|$/.test(lines[i + 1] ?? '') && !before.startsWith('|');
    if (!before.startsWith('|') && !startsTable) stranded.push(`line ${i + 1}: ${line.slice(0, 60)}`);
  });
  assert.deepEqual(stranded, []);
});
