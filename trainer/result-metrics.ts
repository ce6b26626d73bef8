import type { Method } from './params.ts';

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

/** What the views must know of a metric to draw it honestly. */
export interface MetricProperties {
  /** the methods whose results carry it */
  methods: readonly Method[];
  /** which way is good: the colour scales run so that good is the same colour for every metric */
  better: 'lower' | 'higher';
  /** a generalisation error or loss, which the papers' boundary theorems (sweep/theory-lines.ts) are about */
  theory: boolean;
}

const TRAINED: readonly Method[] = ['supervised', 'simclr'];

// Declared once per metric (a metric added above fails to compile until it is described here).
export const METRIC_PROPERTIES: Record<ResultMetric, MetricProperties> = {
  test_error: { methods: TRAINED, better: 'lower', theory: true },
  best_test_error: { methods: TRAINED, better: 'lower', theory: true },
  test_loss: { methods: TRAINED, better: 'lower', theory: true },
  train_loss: { methods: TRAINED, better: 'lower', theory: false },
  signal_alignment: { methods: TRAINED, better: 'higher', theory: false },
  signal_learning: { methods: TRAINED, better: 'higher', theory: false },
  noise_memorization: { methods: TRAINED, better: 'lower', theory: false },
  pretrain_alignment: { methods: ['simclr'], better: 'higher', theory: false },
  // An iterate's index: neither good nor bad; earlier reads as the faster fit.
  best_step: { methods: TRAINED, better: 'lower', theory: false },
  probe_alignment: { methods: ['simclr'], better: 'higher', theory: false },
  // The theorems bound the fine-tuned network's error, not a probe's on frozen features.
  linear_probe_error: { methods: ['simclr'], better: 'lower', theory: false },
  // How far the projection head moved in pre-training: a head that learns moves.
  head_change: { methods: ['simclr'], better: 'higher', theory: false },
};
