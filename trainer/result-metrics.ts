import type { CellResult } from './types.ts';

// The numeric outcomes of a cell that views aggregate and `refine:` can bisect on.
export const RESULT_METRICS = [
  'test_error',
  'test_loss',
  'train_loss',
  'signal_alignment',
  'noise_memorization',
] as const satisfies readonly (keyof CellResult)[];
export type ResultMetric = (typeof RESULT_METRICS)[number];
