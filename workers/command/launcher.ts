import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Progress } from './cell-events.ts';
import type { LauncherReply, LauncherRequest, LauncherSettings } from './launcher-messages.ts';
import type { PersistentCellReport } from './persistent-program.ts';
import type { AttemptReport, CellInput, CommandRun } from './run-attempt.ts';

const MAIN = fileURLToPath(new URL('./launcher-main.ts', import.meta.url));
// Resolved here rather than by name on the command line, so that the launcher starts from any cwd.
const TSX = import.meta.resolve('tsx');

export interface LaunchOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  onCheckpoint?: (path: string) => void;
}

interface Pending extends Omit<LaunchOptions, 'signal'> {
  resolve(reply: LauncherReply): void;
  reject(err: Error): void;
}

// Starting a program forks the process that starts it, and fork copies its page tables: the time it
// blocks grows with the parent's resident memory (about 1 ms at 60 MB, 6 ms at 270 MB, 20 ms at
// 900 MB here), and a worker holds its training threads' tfjs and wasm heaps (hundreds of MB). So the
// worker starts programs through this small launcher process, which runs the engine (runAttempt,
// PersistentProgram) and the group registry, and answers over the IPC channel. Its event loop also
// takes the programs' output and events off the worker's. If the worker dies, the channel closes
// and the launcher stops every program; if the launcher dies, the registry's watchdog does.
export class CommandLauncher {
  private child?: ChildProcess;
  private ready?: Promise<string | undefined>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly settings: LauncherSettings) {}

  /** The launcher process, once started (its CPU time is the engine's). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Starts the launcher ahead of the first program; resolves once it is ready, i.e. it has ended what
   * dead workers on this host left running, with what it could not do (a warning), if anything. A
   * worker calls it at start-up.
   */
  start(): Promise<string | undefined> {
    this.started();
    return this.ready!;
  }

  runAttempt(
    run: CommandRun,
    cell: CellInput,
    opts: LaunchOptions & { attemptDir: string; gpus?: readonly string[] },
  ): Promise<AttemptReport> {
    return this.ask(
      (id) => ({
        kind: 'attempt',
        id,
        run,
        cell,
        attemptDir: opts.attemptDir,
        gpus: opts.gpus && [...opts.gpus],
      }),
      opts,
    ).then((reply) => (reply as LauncherReply & { kind: 'attempt' }).report);
  }

  /** One persistent program (see persistent-program.ts) for one slot, run in the launcher. */
  persistent(run: CommandRun, opts: { slotDir: string; gpus?: readonly string[] }): LaunchedPersistent {
    const slot = this.nextId++;
    let starts = 0;
    return {
      runCell: async (cell, cellOpts = {}) => {
        const reply = (await this.ask(
          (id) => ({
            kind: 'persistent-cell',
            id,
            slot,
            run,
            slotDir: opts.slotDir,
            gpus: opts.gpus && [...opts.gpus],
            cell,
          }),
          cellOpts,
        )) as LauncherReply & { kind: 'persistent-cell' };
        starts = reply.starts;
        return reply.report;
      },
      close: async () => {
        if (this.child) await this.ask((id) => ({ kind: 'persistent-close', id, slot }), {});
      },
      get starts() {
        return starts;
      },
    };
  }

  /** Closes the channel: the launcher stops whatever still runs (SIGTERM, SIGKILL after grace) and exits. */
  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.ref();
    child.disconnect();
    await exited;
  }

  private ask(request: (id: number) => LauncherRequest, opts: LaunchOptions): Promise<LauncherReply> {
    const id = this.nextId++;
    const child = this.started();
    return new Promise<LauncherReply>((resolve, reject) => {
      const onAbort = () =>
        child.send({
          kind: 'abort',
          id,
          reason: typeof opts.signal?.reason === 'string' ? opts.signal.reason : undefined,
        } satisfies LauncherRequest);
      const settle = () => {
        opts.signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
        if (this.pending.size === 0) this.idle(child);
      };
      this.pending.set(id, {
        resolve: (reply) => {
          settle();
          if (reply.kind === 'error') reject(new Error(`command launcher: ${reply.message}`));
          else resolve(reply);
        },
        reject: (err) => {
          settle();
          reject(err);
        },
        onProgress: opts.onProgress,
        onCheckpoint: opts.onCheckpoint,
      });
      child.ref();
      child.channel?.ref();
      child.send(request(id));
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private started(): ChildProcess {
    if (this.child) return this.child;
    const child = fork(MAIN, [JSON.stringify(this.settings)], {
      execArgv: ['--import', TSX],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let isReady!: (warning: string | undefined) => void;
    let failed!: (err: Error) => void;
    this.ready = new Promise<string | undefined>((resolve, reject) => {
      isReady = resolve;
      failed = reject;
    }).finally(() => {
      if (this.pending.size === 0) this.idle(child);
    });
    // Unhandled until someone awaits start().
    this.ready.catch(() => {});
    child.on('message', (reply: LauncherReply) => {
      if (reply.kind === 'ready') return isReady(reply.warning);
      const pending = this.pending.get(reply.id);
      if (reply.kind === 'progress') pending?.onProgress?.(reply.progress);
      else if (reply.kind === 'checkpoint') pending?.onCheckpoint?.(reply.path);
      else pending?.resolve(reply);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const err = new Error(`command launcher exited (${signal ?? code}) with cells in flight`);
      failed(err);
      for (const pending of [...this.pending.values()]) pending.reject(err);
    });
    this.child = child;
    return child;
  }

  // An idle launcher does not keep the worker's event loop alive.
  private idle(child: ChildProcess): void {
    child.unref();
    child.channel?.unref();
  }
}

export interface LaunchedPersistent {
  runCell(cell: CellInput, opts?: LaunchOptions): Promise<PersistentCellReport>;
  close(): Promise<void>;
  /** how many processes the slot has started */
  readonly starts: number;
}
