import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inputLine, persistentEnv, type Outcome, type StopReason } from '../../trainer/index.ts';
import { attemptOutcome } from './attempt-outcome.ts';
import { CellEvents, type Progress } from './cell-events.ts';
import type { GroupRegistry } from './group-registry.ts';
import { watchLimits } from './limits.ts';
import { programEnv } from './program-env.ts';
import { ProgramProcess } from './program-process.ts';
import { commandInput, type CellInput, type CommandRun } from './run-attempt.ts';

export interface PersistentOptions {
  /** where each started process' events and log go */
  slotDir: string;
  gpus?: readonly string[];
  registry?: GroupRegistry;
  baseEnv?: NodeJS.ProcessEnv;
}

export interface PersistentCellReport {
  outcome: Outcome;
  checkpoint?: string;
  /** the log of the process that served the cell, and its last 64 KiB so far */
  logPath: string;
  logTail: string;
  durationMs: number;
}

// `persistent: true`: one process per slot serves cell after cell, one input line each on stdin, and
// answers each with events that carry the cell's key. Start-up (importing torch takes seconds) is paid
// once. A cell that times out, stalls or is cancelled ends the process (its state is suspect); one that
// fails the protocol too. The next cell starts a fresh one.
export class PersistentProgram {
  private program?: ProgramProcess;
  private started = 0;
  private logPath = '';
  private current?: { events: CellEvents; answered: () => void };

  constructor(
    private readonly run: CommandRun,
    private readonly opts: PersistentOptions,
  ) {}

  /** How many processes this slot has started (a restart after a failed cell adds one). */
  get starts(): number {
    return this.started;
  }

  async runCell(
    cell: CellInput,
    cellOpts: {
      signal?: AbortSignal;
      onProgress?: (progress: Progress) => void;
      onCheckpoint?: (path: string) => void;
    } = {},
  ): Promise<PersistentCellReport> {
    const started = Date.now();
    await mkdir(cell.outDir, { recursive: true });
    const program = this.program?.running ? this.program : await this.start();
    let answered!: () => void;
    const answer = new Promise<'result'>((resolve) => (answered = () => resolve('result')));
    const limits = watchLimits({
      timeoutMs: this.run.timeoutMs,
      stallTimeoutMs: this.run.stallTimeoutMs,
      signal: cellOpts.signal,
    });
    const events = new CellEvents(
      cell.cellKey,
      cellOpts.onProgress ?? (() => {}),
      limits.touch,
      true,
      cellOpts.onCheckpoint,
    );
    this.current = { events, answered };
    program.stdin?.write(inputLine(commandInput(cell)));
    const first = await Promise.race([answer, program.exited, limits.passed]);
    limits.clear();
    this.current = undefined;
    let outcome: Outcome;
    if (first === 'result') {
      outcome = attemptOutcome(this.run, { exitCode: 0, signal: null }, undefined, events);
      if (outcome.kind === 'done')
        return {
          outcome,
          checkpoint: events.checkpoint,
          logPath: this.logPath,
          logTail: '',
          durationMs: Date.now() - started,
        };
      await program.stop(this.run.graceMs);
    } else if (typeof first === 'string') {
      await program.stop(this.run.graceMs);
    }
    const logTail = await program.finish(this.run.graceMs, this.opts.registry);
    this.program = undefined;
    if (first !== 'result') {
      const stopped = typeof first === 'string' ? (first as StopReason) : undefined;
      outcome = attemptOutcome(this.run, await program.exited, stopped, events);
    }
    return {
      outcome: outcome!,
      checkpoint: events.checkpoint,
      logPath: this.logPath,
      logTail,
      durationMs: Date.now() - started,
    };
  }

  /** EOF on stdin asks the program to exit; the group is ended after grace if it does not. */
  async close(): Promise<void> {
    const program = this.program;
    this.program = undefined;
    if (!program) return;
    program.stdin?.end();
    const waited = new AbortController();
    await Promise.race([
      program.exited,
      sleep(this.run.graceMs, undefined, { signal: waited.signal }).catch(() => {}),
    ]);
    waited.abort();
    await program.stop(this.run.graceMs);
    await program.finish(this.run.graceMs, this.opts.registry);
  }

  private async start(): Promise<ProgramProcess> {
    this.started++;
    const dir = join(this.opts.slotDir, `process-${this.started}`);
    await mkdir(dir, { recursive: true });
    const eventsPath = join(dir, 'events.ndjson');
    this.logPath = join(dir, 'output.log');
    this.program = await ProgramProcess.start({
      argv: this.run.argv,
      cwd: this.run.cwd,
      env: programEnv(
        this.opts.baseEnv ?? process.env,
        this.run.env,
        persistentEnv(eventsPath, this.opts.gpus),
      ),
      logPath: this.logPath,
      eventsPath,
      stdin: 'pipe',
      registry: this.opts.registry,
      graceMs: this.run.graceMs,
      onEvent: (line) => {
        if (this.current?.events.take(line)) this.current.answered();
      },
    });
    return this.program;
  }
}
