// How one attempt of a program ended, as the sweep sees it. The exit codes follow sysexits.h: 75
// (EX_TEMPFAIL) asks for a retry, 64 (EX_USAGE) and 65 (EX_DATAERR) say that retrying cannot help.
export const EXIT_CODES = { done: 0, usage: 64, data: 65, retry: 75 } as const;

export const OUTCOME_KINDS = [
  'done',
  'protocol_failure',
  'failed',
  'retry',
  'error',
  'killed',
  'timed_out',
  'stalled',
  'cancelled',
] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

// Whether the sweep's retry policy may run the cell again after an outcome of this kind. A protocol
// failure is never retried: the same program would break the same way (peers leave such trials
// "running" forever instead).
export const RETRYABLE: Record<OutcomeKind, boolean> = {
  done: false,
  protocol_failure: false,
  failed: false,
  retry: true,
  error: true,
  killed: true,
  timed_out: true,
  stalled: true,
  cancelled: false,
};

/** Why phasesweep stopped the program, if it did. */
export const STOP_REASONS = ['timeout', 'stall', 'cancel', 'shutdown'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export interface Ending {
  exitCode: number | null;
  signal: string | null;
  stopped?: StopReason;
  /** the limit that was passed, as the spec wrote it (`30m`) */
  limit?: string;
  /** the result event's metrics, if exactly one came */
  result?: Record<string, number>;
  /** protocol problems seen in the events (malformed lines, a second result, a foreign cell key) */
  problems: readonly string[];
}

export interface Outcome {
  kind: OutcomeKind;
  retryable: boolean;
  /** one line for the failure record; empty when done */
  message: string;
  metrics?: Record<string, number>;
}

const outcome = (kind: OutcomeKind, message: string, metrics?: Record<string, number>): Outcome => ({
  kind,
  retryable: RETRYABLE[kind],
  message,
  ...(metrics ? { metrics } : {}),
});

const STOP_KINDS: Record<StopReason, OutcomeKind> = {
  timeout: 'timed_out',
  stall: 'stalled',
  cancel: 'cancelled',
  shutdown: 'killed',
};

export function classifyEnding(ending: Ending, required: readonly string[]): Outcome {
  const { exitCode, signal, stopped, result, problems } = ending;
  if (stopped) return outcome(STOP_KINDS[stopped], stopMessage(stopped, ending.limit));
  if (exitCode === null) return outcome('killed', `killed by ${signal ?? 'a signal'}`);
  if (exitCode === EXIT_CODES.retry) return outcome('retry', `exited with ${exitCode}: asks for a retry`);
  if (exitCode === EXIT_CODES.usage || exitCode === EXIT_CODES.data)
    return outcome('failed', `exited with ${exitCode}: bad input, not retried`);
  if (exitCode !== EXIT_CODES.done) return outcome('error', `exited with ${exitCode}`);
  if (problems.length > 0) return outcome('protocol_failure', `protocol: ${problems[0]}`);
  if (result === undefined) return outcome('protocol_failure', 'protocol: exited 0 without a result event');
  const missing = required.filter((name) => !(name in result));
  if (missing.length > 0)
    return outcome(
      'protocol_failure',
      `protocol: the result lacks ${missing.join(', ')} (has ${Object.keys(result).join(', ') || 'none'})`,
    );
  return outcome('done', '', result);
}

function stopMessage(stopped: StopReason, limit = ''): string {
  if (stopped === 'timeout') return `ran longer than timeout ${limit}`.trim();
  if (stopped === 'stall') return `no event for stall_timeout ${limit}`.trim();
  if (stopped === 'cancel') return 'cancelled';
  return 'stopped by the worker shutting down';
}
