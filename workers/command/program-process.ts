import { spawn, type ChildProcess } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { STDOUT_EVENT_PREFIX } from '../../trainer/index.ts';
import { EventsFile } from './events-file.ts';
import type { GroupRegistry } from './group-registry.ts';
import { LogSink } from './log-sink.ts';
import { endGroup, type GroupEnd } from './process-group.ts';

export interface ProgramOptions {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  logPath: string;
  eventsPath: string;
  /** an open file holding the input (one-shot) or a pipe that takes one input line per cell (persistent) */
  stdin: number | 'pipe';
  registry?: GroupRegistry;
  /** the spec's grace: what the registry's watchdog gives the group should the launcher die */
  graceMs: number;
  /** every event line, from the events file or from stdout (prefix removed) */
  onEvent(line: string): void;
}

export interface Exit {
  exitCode: number | null;
  signal: string | null;
  /** set when the program could not be started at all (not found, not executable) */
  spawnError?: string;
}

// How often the events file is read while the program runs, where inotify does not tell (network file
// systems, bind mounts); the rest is read at exit.
const EVENTS_POLL_MS = 200;

// One running program: its own process group and session (detached), its output in the log, its events
// from both channels. `finish` returns only once the group is empty.
export class ProgramProcess {
  readonly exited: Promise<Exit>;
  private exit?: Exit;
  private readonly child: ChildProcess;
  private readonly log: LogSink;
  private readonly events: EventsFile;
  private readonly poll: NodeJS.Timeout;
  private readonly watcher?: FSWatcher;
  private readonly closed: Promise<void>;

  private constructor(opts: ProgramOptions, events: EventsFile) {
    this.events = events;
    const prefixLength = STDOUT_EVENT_PREFIX.length;
    this.log = new LogSink(opts.logPath, STDOUT_EVENT_PREFIX, (line) =>
      opts.onEvent(line.slice(prefixLength)),
    );
    this.child = spawn(opts.argv[0], opts.argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: [opts.stdin, 'pipe', 'pipe'],
    });
    this.exited = new Promise<Exit>((resolve) => {
      this.child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
      this.child.once('error', (err) =>
        resolve({ exitCode: null, signal: null, spawnError: `cannot start ${opts.argv[0]}: ${err.message}` }),
      );
    }).then((exit) => (this.exit = exit));
    this.closed = new Promise((resolve) => this.child.once('close', () => resolve()));
    this.log.attach(this.child.stdout!, true);
    this.log.attach(this.child.stderr!, false);
    // A program may exit without reading its input (persistent mode): EPIPE is its outcome's business.
    this.child.stdin?.on('error', () => {});
    this.poll = setInterval(() => void this.events.read(), EVENTS_POLL_MS);
    try {
      this.watcher = watch(opts.eventsPath, () => void this.events.read());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // the poll reads it
    }
  }

  static async start(opts: ProgramOptions): Promise<ProgramProcess> {
    const events = new EventsFile(opts.eventsPath, opts.onEvent);
    await events.create();
    const program = new ProgramProcess(opts, events);
    if (program.pgid !== undefined) opts.registry?.add(program.pgid, opts.graceMs);
    return program;
  }

  /** The group's id: the leader's pid (detached makes the program a session and group leader). */
  get pgid(): number | undefined {
    return this.child.pid;
  }

  get stdin(): Writable | null {
    return this.child.stdin;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Reads the events appended so far (the poll does it every 200 ms). */
  readEvents(): Promise<void> {
    return this.events.read();
  }

  /** SIGTERM to the group, SIGKILL after grace; resolves once the group is empty. */
  async stop(graceMs: number): Promise<GroupEnd> {
    return this.pgid === undefined ? 'empty' : endGroup(this.pgid, graceMs);
  }

  // After the leader exits, what it left in its group (a data loader, a forgotten child) is ended too,
  // so that a slot and its GPUs are free when this resolves. Returns the log's tail.
  async finish(graceMs: number, registry?: GroupRegistry): Promise<string> {
    await this.exited;
    await this.stop(graceMs);
    clearInterval(this.poll);
    this.watcher?.close();
    // The group is empty, so the pipes' last bytes are on their way; whatever still holds them sits
    // outside the group (it called setsid), and is not waited for.
    const waited = new AbortController();
    await Promise.race([this.closed, sleep(1_000, undefined, { signal: waited.signal }).catch(() => {})]);
    waited.abort();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    this.child.stdin?.destroy();
    await this.events.close();
    await this.log.close();
    if (this.pgid !== undefined) await registry?.remove(this.pgid);
    return this.log.tailText();
  }
}
