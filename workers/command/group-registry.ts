import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { endGroup, groupIsEmpty, procStat } from './process-group.ts';

// No program outlives its worker. Each worker lists the process groups it runs as files under
// <state dir>/command-groups/<pid>-<start time>/, each holding its program's grace in ms. Two things
// read that list:
// - a watchdog started with the worker (one small `sh` per worker, not per cell) that holds the read
//   end of a pipe from it: when the worker dies, even by SIGKILL, the kernel closes the pipe and the
//   watchdog ends every listed group, SIGTERM then SIGKILL after that group's grace (in whole seconds);
// - the next worker on the host, which ends the groups of any dead worker's list, should the watchdog
//   have been killed too.
// (PR_SET_PDEATHSIG is out of reach from Node, and would reach only the direct child, not its tree.)
// $2: the grace of a group listed without one (by an earlier release), in ms.
const WATCHDOG = `
cat >/dev/null
cd "$1" 2>/dev/null || exit 0
for g in *; do
  [ -e "$g" ] || continue
  ms=$(cat "$g" 2>/dev/null)
  case "$ms" in ''|*[!0-9]*) ms=$2 ;; esac
  kill -TERM "-$g" 2>/dev/null
  (sleep $(( (ms + 999) / 1000 )); [ -e "$g" ] && kill -KILL "-$g" 2>/dev/null) &
done
wait
cd / && rm -rf "$1"
`;

export class GroupRegistry {
  private dir = '';
  private watchdog?: ChildProcess;

  constructor(
    private readonly stateDir: string,
    /** the grace of a group listed without one, by an earlier release */
    private readonly unlistedGraceMs: number,
  ) {}

  private get root(): string {
    return join(this.stateDir, 'command-groups');
  }

  async open(): Promise<void> {
    const self = await procStat(process.pid);
    const dir = join(this.root, `${process.pid}-${self?.startTime ?? 0}`);
    await mkdir(dir, { recursive: true });
    // Set only once it exists: a registry that could not open lists nothing rather than failing spawns.
    this.dir = dir;
    await this.reapDeadWorkers();
    this.watchdog = spawn('sh', ['-c', WATCHDOG, 'watchdog', this.dir, String(this.unlistedGraceMs)], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.watchdog.unref();
    (this.watchdog.stdin as Socket).unref();
  }

  // Written synchronously, in the tick that spawned the group: a worker killed a moment after the spawn
  // must already have listed it, or its watchdog would find nothing to end.
  add(pgid: number, graceMs: number): void {
    if (this.dir) writeFileSync(join(this.dir, String(pgid)), String(Math.max(0, Math.round(graceMs))));
  }

  async remove(pgid: number): Promise<void> {
    if (this.dir) await rm(join(this.dir, String(pgid)), { force: true });
  }

  /** Ends the watchdog: with every group removed, it has nothing left to kill and removes the list. */
  close(): void {
    this.watchdog?.stdin?.end();
    this.watchdog = undefined;
  }

  private async listedGrace(file: string): Promise<number> {
    const text = (await readFile(file, 'utf8').catch(() => '')).trim();
    return /^\d+$/.test(text) ? Number(text) : this.unlistedGraceMs;
  }

  private async reapDeadWorkers(): Promise<void> {
    const entries = await readdir(this.root).catch(() => [] as string[]);
    await Promise.all(
      entries.map(async (entry) => {
        const [pid, startTime] = entry.split('-').map(Number);
        const stat = await procStat(pid);
        if (stat !== undefined && stat.startTime === startTime) return;
        const dir = join(this.root, entry);
        const groups = await readdir(dir).catch(() => [] as string[]);
        await Promise.all(
          groups.map(async (name) => {
            const pgid = Number(name);
            if (Number.isInteger(pgid) && pgid > 1 && !(await groupIsEmpty(pgid)))
              await endGroup(pgid, await this.listedGrace(join(dir, name)));
          }),
        );
        await rm(dir, { recursive: true, force: true });
      }),
    );
  }
}
