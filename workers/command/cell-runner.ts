import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  CommandCell,
  CommandCellReport,
  CommandRunner,
  CommandSpecSection,
} from '../../activities/command-runner.ts';
import { DEFAULT_GRACE } from '../../sweep/command-schema.ts';
import { durationMs } from '../../sweep/duration.ts';
import { RETRYABLE } from '../../trainer/index.ts';
import { codeHash } from './code-hash.ts';
import { commandRunIn } from './command-run.ts';
import { CommandLauncher, type LaunchedPersistent } from './launcher.ts';
import type { CommandRun } from './run-attempt.ts';
import { CommandSlots, type Slot } from './slots.ts';

export interface CellRunnerOptions {
  /** phasesweep's state folder: attempts' files, programs' out_dir, the list of running groups */
  stateDir: string;
  /** cells at once on a worker without GPUs */
  cpuSlots: number;
  /** this worker's GPUs (worker --gpus), by UUID */
  gpus?: readonly string[];
  log?: (line: string) => void;
}

// Each program's group is listed with its spec's grace; this is for those an earlier release listed
// without one.
const UNLISTED_GRACE_MS = durationMs(DEFAULT_GRACE)!;

// Runs a worker's command cells (activities/command-runner.ts): one cell per slot, each attempt in
// its own folder, one process per cell or, with `persistent: true`, one process per slot that serves
// cell after cell. The programs are started by the worker's launcher process (launcher.ts), which
// lists every group with its spec's grace for the watchdog (group-registry.ts) while it runs, and ends
// them all, each after its own grace, should the worker or the launcher die.
export class CommandCellRunner implements CommandRunner {
  private readonly slots: CommandSlots;
  private readonly persistent = new Map<string, { identity: string; program: LaunchedPersistent }>();

  private constructor(
    private readonly opts: CellRunnerOptions,
    private readonly launcher: CommandLauncher,
  ) {
    this.slots = new CommandSlots(opts.cpuSlots, opts.gpus);
  }

  // A state folder that cannot be written (a read-only home) must not stop a worker that may never see
  // a command cell: it runs without the watchdog's list, and says so once.
  static async open(opts: CellRunnerOptions): Promise<CommandCellRunner> {
    const launcher = new CommandLauncher({ stateDir: opts.stateDir, graceMs: UNLISTED_GRACE_MS });
    const warning = await launcher.start();
    if (warning) opts.log?.(warning);
    return new CommandCellRunner(opts, launcher);
  }

  /** Cells that run at once. */
  get size(): number {
    return this.slots.size;
  }

  codeHash(command: CommandSpecSection): Promise<string> {
    return codeHash(command.cwd, command.code);
  }

  async run(cell: CommandCell): Promise<CommandCellReport> {
    let slot: Slot;
    try {
      slot = await this.slots.acquire(cell.gpus);
    } catch (err) {
      const message = (err as Error).message;
      return {
        outcome: { kind: 'failed', retryable: RETRYABLE.failed, message },
        logTail: '',
        durationMs: 0,
      };
    }
    try {
      return await this.runIn(slot, cell);
    } finally {
      this.slots.release(slot);
    }
  }

  /** Ends the persistent programs (EOF, then the group after grace), the launcher and its watchdog. */
  async close(): Promise<void> {
    const programs = [...this.persistent.values()];
    this.persistent.clear();
    await Promise.all(programs.map(({ program }) => program.close()));
    await this.launcher.close();
  }

  private async runIn(slot: Slot, cell: CommandCell): Promise<CommandCellReport> {
    // registered sweeps hold cwd made absolute against the spec file's folder
    const run = commandRunIn(cell.command, cell.command.cwd);
    const cellDir = join(this.opts.stateDir, 'command-cells', cell.cellKey);
    const input = {
      cellKey: cell.cellKey,
      params: cell.params,
      seed: cell.seed,
      attempt: cell.attempt,
      resumeFrom: cell.resumeFrom,
      // Kept across attempts: a checkpoint written there is where resume_from points.
      outDir: join(cellDir, 'out'),
    };
    const gpus = this.opts.gpus && this.opts.gpus.length > 0 ? slot.gpus : undefined;
    if (cell.command.persistent) {
      const program = await this.persistentFor(slot, run, gpus);
      return program.runCell(input, {
        signal: cell.signal,
        onProgress: cell.onProgress,
        onCheckpoint: cell.onCheckpoint,
      });
    }
    await mkdir(cellDir, { recursive: true });
    // A fresh folder per attempt: its events file must hold this attempt's events only.
    const attemptDir = await mkdtemp(join(cellDir, `attempt-${cell.attempt}-`));
    const report = await this.launcher.runAttempt(run, input, {
      attemptDir,
      gpus,
      signal: cell.signal,
      onProgress: cell.onProgress,
      onCheckpoint: cell.onCheckpoint,
    });
    return {
      outcome: report.outcome,
      checkpoint: report.checkpoint,
      logTail: report.logTail,
      durationMs: report.durationMs,
    };
  }

  // One process per slot; a slot that comes to serve another program ends the one it had.
  private async persistentFor(
    slot: Slot,
    run: CommandRun,
    gpus: readonly string[] | undefined,
  ): Promise<LaunchedPersistent> {
    const identity = JSON.stringify([run.argv, run.cwd, run.env, run.metrics]);
    const held = this.persistent.get(slot.id);
    if (held?.identity === identity) return held.program;
    if (held) await held.program.close();
    // An idle program of another slot that shares a GPU with this one (sweeps asking for other GPU
    // counts cut the GPUs otherwise) would hold that GPU's memory beside the new one: it ends first.
    // Idle it is: this slot's GPUs were free, so no cell of that slot runs.
    for (const [id, other] of this.persistent) {
      if (id === slot.id || !slot.gpus?.some((gpu) => id.split(',').includes(gpu))) continue;
      this.persistent.delete(id);
      await other.program.close();
    }
    const slotDir = await mkdtemp(join(this.opts.stateDir, 'command-slots-'));
    const program = this.launcher.persistent(run, { slotDir, gpus });
    this.persistent.set(slot.id, { identity, program });
    return program;
  }
}
