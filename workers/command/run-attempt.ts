import { closeSync, openSync, readSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  inputLine,
  PROTOCOL_VERSION,
  protocolEnv,
  type CommandInput,
  type Outcome,
  type StopReason,
} from '../../trainer/index.ts';
import { attemptOutcome } from './attempt-outcome.ts';
import { CellEvents, type Progress } from './cell-events.ts';
import type { GroupRegistry } from './group-registry.ts';
import { watchLimits } from './limits.ts';
import { programEnv } from './program-env.ts';
import { ProgramProcess } from './program-process.ts';

/** How to run the program: the spec's `command:` section, with cwd resolved and durations in ms. */
export interface CommandRun {
  argv: readonly string[];
  /** absolute */
  cwd: string;
  env: Readonly<Record<string, string>>;
  metrics: readonly string[];
  timeoutMs: number;
  stallTimeoutMs?: number;
  graceMs: number;
}

export interface CellInput {
  cellKey: string;
  params: Record<string, unknown>;
  seed: number;
  attempt: number;
  resumeFrom?: string | null;
  /** the program's own output folder */
  outDir: string;
}

export interface AttemptOptions {
  /** where the attempt's input, events and log files go */
  attemptDir: string;
  gpus?: readonly string[];
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  onCheckpoint?: (path: string) => void;
  registry?: GroupRegistry;
  baseEnv?: NodeJS.ProcessEnv;
}

export interface AttemptReport {
  outcome: Outcome;
  /** the last checkpoint event's path: the next attempt's resume_from */
  checkpoint?: string;
  logPath: string;
  /** the last 64 KiB of stdout and stderr */
  logTail: string;
  durationMs: number;
  /** whether the program read its input from stdin to the end */
  stdinRead: boolean;
  /** when phasesweep stopped it: whether it ended on SIGTERM or needed SIGKILL after the grace */
  stoppedBy?: 'term' | 'kill';
}

export function commandInput(cell: CellInput): CommandInput {
  return {
    protocol: PROTOCOL_VERSION,
    cell_key: cell.cellKey,
    params: cell.params,
    seed: cell.seed,
    attempt: cell.attempt,
    out_dir: cell.outDir,
    resume_from: cell.resumeFrom ?? null,
  };
}

// One attempt of one cell, one process: the input on stdin (a file, so that reading it can be checked
// afterwards) and in PHASESWEEP_INPUT, the events from PHASESWEEP_EVENTS and stdout, the limits
// enforced on the whole process group. Resolves once the group is empty.
export async function runAttempt(
  run: CommandRun,
  cell: CellInput,
  opts: AttemptOptions,
): Promise<AttemptReport> {
  const started = Date.now();
  await mkdir(opts.attemptDir, { recursive: true });
  await mkdir(cell.outDir, { recursive: true });
  const input = commandInput(cell);
  const files = {
    input: join(opts.attemptDir, 'input.json'),
    events: join(opts.attemptDir, 'events.ndjson'),
  };
  const logPath = join(opts.attemptDir, 'output.log');
  await writeFile(files.input, inputLine(input));
  const stdin = openSync(files.input, 'r');
  let limits: ReturnType<typeof watchLimits> | undefined;
  const events = new CellEvents(
    cell.cellKey,
    opts.onProgress ?? (() => {}),
    () => limits?.touch(),
    false,
    opts.onCheckpoint,
  );
  try {
    const program = await ProgramProcess.start({
      argv: run.argv,
      cwd: run.cwd,
      env: programEnv(opts.baseEnv ?? process.env, run.env, protocolEnv(input, files, opts.gpus)),
      logPath,
      eventsPath: files.events,
      stdin,
      registry: opts.registry,
      graceMs: run.graceMs,
      onEvent: (line) => events.take(line),
    });
    limits = watchLimits({
      timeoutMs: run.timeoutMs,
      stallTimeoutMs: run.stallTimeoutMs,
      signal: opts.signal,
    });
    const first = await Promise.race([program.exited, limits.passed]);
    let stopped: StopReason | undefined;
    let stoppedBy: AttemptReport['stoppedBy'];
    if (typeof first === 'string') {
      stopped = first;
      const end = await program.stop(run.graceMs);
      stoppedBy = end === 'empty' ? undefined : end;
    }
    limits.clear();
    const logTail = await program.finish(run.graceMs, opts.registry);
    return {
      outcome: attemptOutcome(run, await program.exited, stopped, events),
      checkpoint: events.checkpoint,
      logPath,
      logTail,
      durationMs: Date.now() - started,
      stdinRead: readSync(stdin, Buffer.alloc(1), 0, 1, null) === 0,
      stoppedBy,
    };
  } finally {
    limits?.clear();
    closeSync(stdin);
  }
}
