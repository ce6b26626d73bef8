import type { CellParams } from '../trainer/params.ts';

// Fault-injection hook for tests: a worker started with PHASESWEEP_FAULT_THROW_CELLS=<key>,<key>,...
// throws when asked to train one of those cell keys, on every attempt, as a trainer bug would. It
// exercises the real path of a throwing cell (batch falls back to cell-by-cell, retries, failure
// record) without a fake trainer. Unset in normal use, where it costs one lookup per batch.
const ENV = 'PHASESWEEP_FAULT_THROW_CELLS';

export class InjectedFault extends Error {}

export function faultyKeys(): Set<string> {
  const raw = process.env[ENV]?.trim();
  return new Set(raw ? raw.split(',').map((k) => k.trim()) : []);
}

export function throwIfInjected(cells: { key: string; params: CellParams }[], faulty: Set<string>): void {
  if (faulty.size === 0) return;
  const hit = cells.find((c) => faulty.has(c.key));
  if (hit) throw new InjectedFault(`injected fault for cell ${hit.key} (${ENV})`);
}
