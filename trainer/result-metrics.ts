// Every figure a result row carries, in one list: the store's columns, the views' metrics and what
// `refine:` can bisect on are derived from it. CellResult has one field per name.
export const RESULT_METRICS = [
  'test_error',
  'best_test_error',
  'test_loss',
  'train_loss',
  'signal_alignment',
  'signal_learning',
  'noise_memorization',
  'pretrain_alignment',
  'best_step',
  'probe_alignment',
  'linear_probe_error',
  'head_change',
] as const;
export type ResultMetric = (typeof RESULT_METRICS)[number];
