// CPU time of a process and everything it started (Postgres's backends come and go with connections):
// its own and its threads' user + system time, what its finished children spent (cutime, cstime),
// and the same for each live descendant.
import { readdirSync, readFileSync } from 'node:fs';

interface Stat {
  ppid: number;
  own: number;
  children: number;
}

// /proc/<pid>/stat: after the command's ") ", field 4 is the parent, 14-17 utime, stime, cutime, cstime.
function statOf(pid: number): Stat | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = (i: number) => Number(fields[i - 3]);
    return { ppid: ticks(4), own: (ticks(14) + ticks(15)) / 100, children: (ticks(16) + ticks(17)) / 100 };
  } catch {
    // The process ended between listing and reading.
    return undefined;
  }
}

// The process's own and its threads' time, without its children's.
export function ownCpuSeconds(pid: number): number {
  return statOf(pid)?.own ?? 0;
}

export function treeCpuSeconds(root: number): number {
  const stats = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = statOf(Number(name));
    if (stat) stats.set(Number(name), stat);
  }
  let total = 0;
  const visit = (pid: number) => {
    const stat = stats.get(pid);
    if (!stat) return;
    total += stat.own + stat.children;
    for (const [child, s] of stats) if (s.ppid === pid) visit(child);
  };
  visit(root);
  return total;
}
