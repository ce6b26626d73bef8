import type { TopLevelSpec } from 'vega-lite';
import { REGIMES, REGIME_LABELS, type StudyGrid } from './design.ts';
import type { Variant, VariantResult } from './summarize.ts';

// Error first, since the claims are about it, then what the encoder learnt. Every metric lies in
// [0, 1], so every panel shares that scale; a t interval of few seeds reaching past it is cut at its edge.
const FIGURE_METRICS = ['linear_probe_error', 'test_error', 'probe_alignment', 'pretrain_alignment'] as const;

// Tick labels must fit under a narrow panel.
const SHORT: Record<string, string> = {
  augment_keep: 'α',
  augment_mask: 'mask',
  signal_direction: 'μ',
  projection_head: 'head',
  pretrain_batch: 'B',
  tau: 'τ',
  negatives: 'neg.',
  symmetric: 'sym.',
};
const label = (variant: Variant) =>
  Object.entries(variant)
    .map(([axis, value]) => `${SHORT[axis] ?? axis} ${String(value)}`)
    .join(', ');

/** One grid's figure: per metric (rows) and regime (columns), each variant's mean and 95% interval per SNR. */
export function gridFigureSpec(grid: StudyGrid, results: VariantResult[]): TopLevelSpec {
  const rows = results.filter((r) => r.grid === grid.name);
  const values = rows.flatMap((r) =>
    FIGURE_METRICS.flatMap((metric) => {
      const s = r.metrics[metric];
      if (s.mean === null) return [];
      return [
        {
          variant: label(r.variant),
          regime: REGIME_LABELS[r.regime],
          snr: `SNR ${r.snr}`,
          metric,
          mean: s.mean,
          low: s.ci95_low ?? s.mean,
          high: s.ci95_high ?? s.mean,
        },
      ];
    }),
  );
  const x = {
    field: 'variant',
    type: 'nominal',
    sort: null,
    title: null,
    axis: { labelAngle: -40, labelLimit: 240 },
  } as const;
  const color = { field: 'snr', type: 'nominal', title: null } as const;
  const xOffset = { field: 'snr', type: 'nominal' } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `SimCLR design study: ${grid.name}`, subtitle: grid.title.replaceAll('`', '') },
    data: { values },
    facet: {
      row: { field: 'metric', type: 'nominal', sort: [...FIGURE_METRICS], title: null },
      column: { field: 'regime', type: 'nominal', title: null, sort: REGIMES.map((r) => REGIME_LABELS[r]) },
    },
    spec: {
      width: Math.max(120, 28 * new Set(values.map((v) => v.variant)).size),
      height: 110,
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 1.5, clip: true },
          encoding: {
            x,
            xOffset,
            color,
            y: { field: 'low', type: 'quantitative', title: null, scale: { domain: [0, 1] } },
            y2: { field: 'high' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 30 },
          encoding: { x, xOffset, color, y: { field: 'mean', type: 'quantitative' } },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}
