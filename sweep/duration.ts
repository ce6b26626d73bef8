// The one grammar of durations, wherever a user writes one (command-line flags, spec fields, schedule
// options, environment variables): a positive number and one unit, `500ms`, `30s`, `5m`, `1h`, `1d`.
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

export const DURATION_GRAMMAR = 'a duration such as 500ms, 30s, 5m, 1h or 1d';

export class DurationError extends Error {
  readonly badInput = true;
}

// Milliseconds, or undefined when the text is not a positive duration of the grammar.
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as Unit] : 0;
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}

// `what` names where the text came from (`--timeout`, `PHASESWEEP_HEARTBEAT_TIMEOUT`, ...).
export function parseDuration(text: string, what: string): number {
  const ms = durationMs(text);
  if (ms === undefined)
    throw new DurationError(`${what}: expected ${DURATION_GRAMMAR}, got ${JSON.stringify(text)}`);
  return ms;
}

// The same grammar written back, in the largest unit that keeps it whole: 86400000 -> '1d'.
export function formatDuration(ms: number): string {
  const units = Object.entries(UNIT_MS).reverse() as [Unit, number][];
  const [unit, size] = units.find(([, size]) => ms >= size && ms % size === 0) ?? ['ms', 1];
  return `${ms / size}${unit}`;
}
