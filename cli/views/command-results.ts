import { renderTable } from './table.ts';

// `show` of a method: command sweep: its cells as a table, each with its parameters by name, status, the
// metrics the spec lists and the code hash that made the result. (The heatmaps of the built-in
// methods draw their typed metrics.)

// A terminal view: past this many cells, `results` and `export` list them all.
export const SHOWN_CELLS = 200;

const KEY_CHARS = 10;
const HASH_CHARS = 12;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return String(value);
}

export function renderCommandResults(
  rows: readonly Record<string, unknown>[],
  params: readonly string[],
  metrics: readonly string[],
  total: number,
): string {
  const headers = ['cell', ...params, 'status', ...metrics, 'code'];
  const lines = rows.map((row) => [
    String(row.cell_key).slice(0, KEY_CHARS),
    ...params.map((name) => cellText(row[name])),
    String(row.status),
    ...metrics.map((name) => cellText(row[name])),
    row.code_hash ? String(row.code_hash).slice(0, HASH_CHARS) : '-',
  ]);
  const more =
    total > rows.length
      ? `\n... ${total - rows.length} more cells: \`phasesweep results\` lists them all`
      : '';
  return `${renderTable(headers, lines)}${more}`;
}
