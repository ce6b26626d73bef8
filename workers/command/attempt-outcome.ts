import { classifyEnding, RETRYABLE, type Outcome, type StopReason } from '../../trainer/index.ts';
import { formatDuration } from '../../sweep/duration.ts';
import type { CellEvents } from './cell-events.ts';
import type { Exit } from './program-process.ts';
import type { CommandRun } from './run-attempt.ts';

// How a cell's run ended, in the protocol's terms (README, "Your own trainer"): one home for both
// modes, a process per cell (run-attempt.ts) and a persistent program (persistent-program.ts).
// `stopped`: the limit that made phasesweep end the group, if one did.
export function attemptOutcome(
  run: CommandRun,
  exit: Exit,
  stopped: StopReason | undefined,
  events: CellEvents,
): Outcome {
  if (exit.spawnError) return { kind: 'failed', retryable: RETRYABLE.failed, message: exit.spawnError };
  const limit = stopped === 'timeout' ? run.timeoutMs : stopped === 'stall' ? run.stallTimeoutMs : undefined;
  return classifyEnding(
    {
      ...exit,
      stopped,
      limit: limit === undefined ? undefined : formatDuration(limit),
      result: events.result,
      problems: events.problems,
    },
    run.metrics,
  );
}
