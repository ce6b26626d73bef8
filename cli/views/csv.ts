// RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled; null is empty.
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// One record: the fields joined, with the line break that ends it.
export function csvRecord(values: unknown[]): string {
  return `${values.map(field).join(',')}\n`;
}

export function toCsv(
  rows: Record<string, unknown>[],
  columns: string[] = Object.keys(rows[0] ?? {}),
): string {
  if (columns.length === 0) return '';
  return [columns, ...rows.map((row) => columns.map((c) => row[c]))].map(csvRecord).join('');
}
