// Shared by the tests of `method: command`: specs of the fixture programs, the pids a program tree
// wrote, watched in /proc for how long each lived, process groups left by a dead worker, and a worker's
// peak memory.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupMembers, procStat } from '../../workers/command/process-group.ts';
import { writeSpec } from './sweeps.ts';

export const PROGRAMS = fileURLToPath(new URL('../fixtures/command/', import.meta.url));

/** A `method: command` spec of a program of test/fixtures/command, written to `dir`. */
export function commandSpec(
  dir: string,
  name: string,
  command: Record<string, unknown>,
  rest: Record<string, unknown>,
): string {
  return writeSpec(dir, name, { method: 'command', command: { cwd: PROGRAMS, ...command }, ...rest });
}

/** The lines of a file (none if it does not exist yet). */
export async function lines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

/** Those of `pids` still alive (zombies count as gone), read from /proc. */
export async function alive(pids: readonly number[]): Promise<number[]> {
  const stats = await Promise.all(pids.map((pid) => procStat(pid)));
  return pids.filter((_, i) => stats[i] !== undefined && stats[i]!.state !== 'Z');
}

/** The pids a fixture wrote to out/pids under `dir`, one a line. */
export async function writtenPids(dir: string): Promise<number[]> {
  return (await lines(join(dir, 'out', 'pids'))).map(Number);
}

export async function until<T>(
  what: string,
  withinMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms`);
    await sleep(25);
  }
}

// The three levels of tree-hang.sh, once each has written its pid.
export function treeStarted(dir: string): Promise<number[]> {
  return until('the tree started', 20_000, async () => {
    const pids = await writtenPids(dir);
    return pids.length === 3 ? pids : undefined;
  });
}

export async function treeEnded(pids: readonly number[], withinMs: number): Promise<void> {
  await until('the tree ended', withinMs, async () => ((await alive(pids)).length === 0 ? true : undefined));
}

// A live process group (sh and its sleep) on the list of a worker whose pid is gone, as a worker
// SIGKILLed with its watchdog leaves it under `state` for the next worker on the host to end; its pgid.
export async function orphanOfDeadWorker(state: string): Promise<number> {
  const orphan = spawn('sh', ['-c', 'sleep 1000 & wait'], { detached: true, stdio: 'ignore' });
  const pgid = orphan.pid!;
  await until('the orphan group', 5_000, async () =>
    (await groupMembers(pgid)).length === 2 ? true : undefined,
  );
  // pid 4194304 is above Linux's pid_max.
  const deadList = join(state, 'command-groups', '4194304-1');
  await mkdir(deadList, { recursive: true });
  await writeFile(join(deadList, String(pgid)), '');
  return pgid;
}

export interface Lifetime {
  pid: number;
  firstSeen: number;
  lastAlive: number;
}

const WATCH_MS = 25;

// Every pid written to `file`, with when it was first read there and when /proc last showed it alive,
// polled until `stop` (which waits for every pid seen to be gone, at most `drainMs`).
export function watchPids(file: string): { stop(drainMs: number): Promise<Lifetime[]> } {
  const seen = new Map<number, Lifetime>();
  let stopping = false;
  const poll = (async () => {
    for (;;) {
      const now = Date.now();
      for (const pid of (await lines(file)).map(Number))
        if (!seen.has(pid)) seen.set(pid, { pid, firstSeen: now, lastAlive: now });
      const living = await alive([...seen.keys()]);
      for (const pid of living) seen.get(pid)!.lastAlive = Date.now();
      if (stopping && living.length === 0) return;
      await sleep(WATCH_MS);
    }
  })();
  return {
    async stop(drainMs) {
      stopping = true;
      const timer = new AbortController();
      try {
        await Promise.race([
          poll,
          sleep(drainMs, undefined, { signal: timer.signal }).then(() => {
            throw new Error(`processes of ${file} still alive ${drainMs} ms after the sweep ended`);
          }),
        ]);
      } finally {
        timer.abort();
      }
      return [...seen.values()];
    },
  };
}

const rssKiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

// A process's resident memory, sampled every 20 ms until `stop`, which gives the largest sample (KiB).
// Its peak so far (VmHWM) would not do: a worker's is set at start-up, far above what a cell adds.
export function sampleRss(pid: number): { stop(): number } {
  let max = rssKiB(pid);
  const timer = setInterval(() => (max = Math.max(max, rssKiB(pid))), 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(max, rssKiB(pid));
    },
  };
}
