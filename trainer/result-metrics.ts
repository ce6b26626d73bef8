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

/**
 * A metric's name: a built-in one above, or any name a program's results report (`method: command`,
 * stored by name), which views, refine: and drift read the same way.
 */
export type MetricName = ResultMetric | (string & {});

export const isResultMetric = (name: string): name is ResultMetric =>
  (RESULT_METRICS as readonly string[]).includes(name);

// Words that mark a program's metric as one where higher is better (accuracy, AUC, F1, a reward, ...):
// a name is split at every character but letters and digits, and a metric none of whose words is here
// is an error or a loss, lower is better.
const HIGHER_IS_BETTER_WORDS = new Set([
  'acc',
  'accuracy',
  'auc',
  'auroc',
  'ap',
  'map',
  'f1',
  'precision',
  'recall',
  'r2',
  'score',
  'reward',
  'return',
  'iou',
  'bleu',
  'rouge',
  'psnr',
  'ssim',
]);

/**
 * A metric's properties by name: a built-in metric's as declared; a program's metric has no theory
 * line (the papers' theorems are about the built-in CNN) and is lower-is-better unless one of its words
 * says otherwise (val_acc, test_auc, f1 are higher-is-better; val_err, loss, ece are lower).
 */
export function metricProperties(name: MetricName): MetricProperties {
  if (isResultMetric(name)) return METRIC_PROPERTIES[name];
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  return { better: words.some((w) => HIGHER_IS_BETTER_WORDS.has(w)) ? 'higher' : 'lower', theory: false };
}
