import { BadInputError } from './exit.ts';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

// `--timeout 30s`: a positive number with one unit; anything else is bad input naming the option.
export function parseDuration(text: string, option = '--timeout'): number {
  const match = DURATION.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : 0;
  if (!(ms > 0)) {
    throw new BadInputError(
      `${option}: expected a duration such as 500ms, 30s, 5m or 1h, got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}
