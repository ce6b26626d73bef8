// Every figure a result row carries, in one list: the store's columns, the views' metrics and what
// `refine:` can bisect on are derived from it. CellResult has one field per name; each method says which
// of them its results carry (methodsWith).
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

/** What the views must know of a metric to draw it honestly. */
export interface MetricProperties {
  /** which way is good: the colour scales run so that good is the same colour for every metric */
  better: 'lower' | 'higher';
  /** a generalisation error or loss, which the papers' boundary theorems (sweep/theory-lines.ts) are about */
  theory: boolean;
}

// Declared once per metric (a metric added above fails to compile until it is described here).
export const METRIC_PROPERTIES: Record<ResultMetric, MetricProperties> = {
  test_error: { better: 'lower', theory: true },
  best_test_error: { better: 'lower', theory: true },
  test_loss: { better: 'lower', theory: true },
  train_loss: { better: 'lower', theory: false },
  signal_alignment: { better: 'higher', theory: false },
  signal_learning: { better: 'higher', theory: false },
  noise_memorization: { better: 'lower', theory: false },
  pretrain_alignment: { better: 'higher', theory: false },
  // An iterate's index: neither good nor bad; earlier reads as the faster fit.
  best_step: { better: 'lower', theory: false },
  probe_alignment: { better: 'higher', theory: false },
  // The theorems bound the fine-tuned network's error, not a probe's on frozen features.
  linear_probe_error: { better: 'lower', theory: false },
  // How far the projection head moved in pre-training: a head that learns moves.
  head_change: { better: 'higher', theory: false },
};
