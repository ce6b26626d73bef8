// The order boundaries are listed in everywhere (show, show --json, export --boundaries, plots): by the
// group's coordinates in turn, numbers as numbers, so n_labels 4 comes before 16 and 64.
export type GroupCoordinates = Record<string, string | number>;

function compareValues(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : 1;
}

export function compareGroups(a: GroupCoordinates, b: GroupCoordinates): number {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const key of keys) {
    const c = compareValues(a[key], b[key]);
    if (c !== 0) return c;
  }
  return 0;
}
