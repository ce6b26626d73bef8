import { createHash } from 'node:crypto';

// Hashes (spec hash, cell key) must not depend on the order in which keys were written or built, so
// objects are serialised with their keys sorted, recursively. Numbers use JavaScript's shortest
// round-trip form, which is the same on every platform. (Integer-like keys such as "10" come first in
// numeric order, as JSON.stringify always emits them; still one fixed order for one set of keys.)
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sorted(value));
}

// A copy with sorted keys, serialised by one native JSON.stringify: several times faster than
// building the string by hand, and this runs once per cell of grids of up to a million cells.
function sorted(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`cannot hash the non-finite number ${value}`);
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => sorted(item ?? null));
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    // Assigning to __proto__ would set the prototype instead of adding the key.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: sorted(record[key]), enumerable: true });
    else out[key] = sorted(record[key]);
  }
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
