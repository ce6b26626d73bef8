import { DEFAULT_MAX_CELLS } from '../sweep/limits.ts';

export const MAX_CELLS_ENV = 'PHASESWEEP_MAX_CELLS';

export class MaxCellsSettingError extends Error {
  readonly badInput = true;
}

// The cell limit guards memory and the store against a typo such as a linspace of 1e9 values. Each
// process reads it from its own environment: the CLI when it parses a spec, a worker when it expands one.
export function maxCellsSetting(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[MAX_CELLS_ENV];
  if (text === undefined || text.trim() === '') return DEFAULT_MAX_CELLS;
  const parsed = Number(text);
  if (!Number.isSafeInteger(parsed) || parsed < 1) {
    throw new MaxCellsSettingError(`${MAX_CELLS_ENV} must be a positive whole number, got '${text}'`);
  }
  return parsed;
}
