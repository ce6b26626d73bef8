import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

// A program runs as the leader of its own process group (and session); everything it forks stays in
// the group unless it calls setsid itself. The group, not the pid, is what is killed and waited for.

interface ProcStat {
  pid: number;
  state: string;
  pgrp: number;
  /** clock ticks after boot: with the pid, it names one process even after pids wrap */
  startTime: number;
}

// /proc/<pid>/stat: "pid (comm) state ppid pgrp session ... starttime(22nd field)"; comm may hold
// spaces and parentheses, so the fields are counted after its last ')'.
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).split(' ');
  return {
    pid: Number.parseInt(text, 10),
    state: fields[0],
    pgrp: Number(fields[2]),
    startTime: Number(fields[19]),
  };
}

export async function procStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The live (not zombie) processes of a group, read from /proc. */
export async function groupMembers(pgid: number): Promise<number[]> {
  const members: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await procStat(Number(name));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') members.push(stat.pid);
  }
  return members;
}

// kill(-pgid, 0) fails with ESRCH once no process is left: one system call, where /proc takes a scan
// of every process. A group of zombies only (reaped soon by init) still answers, so /proc decides then.
export async function groupIsEmpty(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw err;
  }
  return (await groupMembers(pgid)).length === 0;
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

const POLL_MS = 25;

export async function waitGroupEmpty(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await groupIsEmpty(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/** What ending a group took: nothing (it was empty), SIGTERM, or SIGKILL after the grace. */
export type GroupEnd = 'empty' | 'term' | 'kill';

// SIGTERM to the whole group, SIGKILL to whatever is left after `graceMs`; resolves once the group is
// empty, so that what it held (a GPU, memory) is free when a slot is handed on.
export async function endGroup(pgid: number, graceMs: number): Promise<GroupEnd> {
  if (await groupIsEmpty(pgid)) return 'empty';
  signalGroup(pgid, 'SIGTERM');
  if (await waitGroupEmpty(pgid, graceMs)) return 'term';
  signalGroup(pgid, 'SIGKILL');
  // SIGKILL cannot be caught; a process in uninterruptible sleep (D) takes its time.
  while (!(await waitGroupEmpty(pgid, 5_000))) signalGroup(pgid, 'SIGKILL');
  return 'kill';
}
