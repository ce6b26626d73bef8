import type { Progress } from './cell-events.ts';
import type { PersistentCellReport } from './persistent-program.ts';
import type { AttemptReport, CellInput, CommandRun } from './run-attempt.ts';

// What the worker and its launcher process (launcher.ts, launcher-main.ts) say to each other over the
// IPC channel. Every request has an id; its answer, and any progress in between, carry it back.

export interface LauncherSettings {
  /** where the group registry lists the running groups (see group-registry.ts) */
  stateDir: string;
  /** the grace of a group listed without its own (by an earlier release); each program's is its spec's */
  graceMs: number;
}

export type LauncherRequest =
  | { kind: 'attempt'; id: number; run: CommandRun; cell: CellInput; attemptDir: string; gpus?: string[] }
  | {
      kind: 'persistent-cell';
      id: number;
      /** one persistent program per slot */
      slot: number;
      run: CommandRun;
      slotDir: string;
      gpus?: string[];
      cell: CellInput;
    }
  | { kind: 'persistent-close'; id: number; slot: number }
  /** the request's signal was aborted; `reason` is the signal's reason when it is a string */
  | { kind: 'abort'; id: number; reason?: string };

export type LauncherReply =
  /** the registry is open (dead workers' groups ended): programs can start */
  | { kind: 'ready'; warning?: string }
  | { kind: 'progress'; id: number; progress: Progress }
  | { kind: 'checkpoint'; id: number; path: string }
  | { kind: 'attempt'; id: number; report: AttemptReport }
  | { kind: 'persistent-cell'; id: number; report: PersistentCellReport; starts: number }
  | { kind: 'persistent-close'; id: number }
  | { kind: 'error'; id: number; message: string };
