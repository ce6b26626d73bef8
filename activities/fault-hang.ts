// Fault-injection hook for tests: a worker started with PHASESWEEP_FAULT_HANG_CELLS=<key>,<key>,...
// hangs the training thread that gets one of those cells, on the batch's first attempt only: the
// thread blocks for good and never reports progress, as a deadlocked kernel would, while the
// worker's main thread stays free. It exercises the real path of a hung trainer (the stall watchdog
// in train-batch.ts stops heartbeating, Temporal's heartbeat timeout fires, the attempt is cancelled,
// its thread terminated, and the retry trains the cells). Unset in normal use.
const ENV = 'PHASESWEEP_FAULT_HANG_CELLS';

export function hangingKeys(): Set<string> {
  const raw = process.env[ENV]?.trim();
  return new Set(raw ? raw.split(',').map((k) => k.trim()) : []);
}

export function shouldHang(cells: { key: string }[], keys: Set<string>, attempt: number): boolean {
  return attempt === 1 && keys.size > 0 && cells.some((c) => keys.has(c.key));
}

// Runs in the training thread: blocks it without using a core, until the thread is terminated.
export function hangForever(): void {
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
