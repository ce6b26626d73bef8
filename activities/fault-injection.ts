import { setTimeout as sleep } from 'node:timers/promises';
import type { CellParams } from '../trainer/index.ts';

// Fault-injection hooks for tests, read from the worker's environment (unset in normal use, where they
// cost one lookup per batch):
// - PHASESWEEP_FAULT_THROW_CELLS=<key>,<key>,...: training one of those cell keys throws, on every
//   attempt, as a trainer bug would. It exercises the real path of a throwing cell (the batch falls
//   back to cell by cell, retries, a failure record) without a fake trainer.
// - PHASESWEEP_FAULT_BATCH_DELAY_MS=<ms>: every training call waits that long first (cancellable), so
//   that a test can interrupt a sweep mid-way however fast the trainer has become.
const THROW_ENV = 'PHASESWEEP_FAULT_THROW_CELLS';
const DELAY_ENV = 'PHASESWEEP_FAULT_BATCH_DELAY_MS';

export class InjectedFault extends Error {}

export function faultyKeys(): Set<string> {
  const raw = process.env[THROW_ENV]?.trim();
  return new Set(raw ? raw.split(',').map((k) => k.trim()) : []);
}

export function throwIfInjected(cells: { key: string; params: CellParams }[], faulty: Set<string>): void {
  if (faulty.size === 0) return;
  const hit = cells.find((c) => faulty.has(c.key));
  if (hit) throw new InjectedFault(`injected fault for cell ${hit.key} (${THROW_ENV})`);
}

export async function injectedDelay(signal: AbortSignal): Promise<void> {
  const ms = Number(process.env[DELAY_ENV] ?? 0);
  if (ms > 0) await sleep(ms, undefined, { signal });
}
