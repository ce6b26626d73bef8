// Exit codes are a contract: 0 success, 1 failure, 2 bad input. Any layer marks bad input by throwing
// an error with `badInput = true` (layers below the CLI cannot import a CLI error class).
export function isBadInput(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { badInput?: unknown }).badInput === true;
}

export function exitCodeFor(err: unknown): number {
  return isBadInput(err) ? 2 : 1;
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class BadInputError extends Error {
  readonly badInput = true;
}
