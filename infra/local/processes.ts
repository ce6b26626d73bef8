import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

// A pid from a state file may be stale or reused by an unrelated process, so a pid counts as ours only
// when it is alive and its command line contains a marker we chose (the data dir or database file).
export function isOurProcess(pid: number | undefined, marker: string): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(marker);
  } catch {
    // No /proc (macOS): a live pid is the best evidence there is.
    return process.platform !== 'linux';
  }
}

export async function stopProcess(pid: number, marker: string, signal: NodeJS.Signals, timeoutMs = 20_000) {
  if (!isOurProcess(pid, marker)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (isOurProcess(pid, marker)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await sleep(200);
      return;
    }
    await sleep(100);
  }
}
