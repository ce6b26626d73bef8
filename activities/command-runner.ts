import type { SweepSpec } from '../sweep/spec.ts';
import type { COMMAND_METHOD, Outcome } from '../trainer/index.ts';

// What the activities need to run `method: command` cells. The worker (workers/command/) implements it:
// running processes and hashing files is I/O this layer does not do itself.

/** The spec's `command:` section, as the registered sweep holds it (cwd absolute, code hash filled in). */
export type CommandSpecSection = NonNullable<SweepSpec[typeof COMMAND_METHOD]>;

export interface CommandProgress {
  step: number;
  metrics: Record<string, number>;
}

export interface CommandCell {
  command: CommandSpecSection;
  /** GPUs per cell (the spec's resources.gpus) on a worker started with --gpus */
  gpus?: number;
  cellKey: string;
  /** the user's own parameters */
  params: Record<string, unknown>;
  seed: number;
  attempt: number;
  resumeFrom: string | null;
  signal: AbortSignal;
  onProgress: (progress: CommandProgress) => void;
  onCheckpoint?: (path: string) => void;
}

export interface CommandCellReport {
  outcome: Outcome;
  checkpoint?: string;
  logTail: string;
  durationMs: number;
}

export interface CommandRunner {
  /** The hash of the program's code (its `code:` list, or the git tree of cwd with its diff). */
  codeHash(command: CommandSpecSection): Promise<string>;
  /** Runs one attempt of one cell in a free slot; resolves once the program's process group is empty. */
  run(cell: CommandCell): Promise<CommandCellReport>;
}
