import type { TopLevelSpec } from 'vega-lite';
import { REGIME_LABELS, type StudyGrid } from './design.ts';
import { formatVariant } from './format.ts';
import type { VariantResult } from './summarize.ts';

// Error first, since the claims are about it, then what the encoder learnt.
const FIGURE_METRICS = ['linear_probe_error', 'test_error', 'probe_alignment', 'pretrain_alignment'] as const;

/** One grid's figure: per metric (rows) and regime (columns), each variant's mean and 95% interval per SNR. */
export function gridFigureSpec(grid: StudyGrid, results: VariantResult[]): TopLevelSpec {
  const rows = results.filter((r) => r.grid === grid.name);
  const values = rows.flatMap((r) =>
    FIGURE_METRICS.flatMap((metric) => {
      const s = r.metrics[metric];
      if (s.mean === null) return [];
      return [
        {
          variant: formatVariant(r.variant),
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
    axis: { labelAngle: -40 },
  } as const;
  const color = { field: 'snr', type: 'nominal', title: null } as const;
  const xOffset = { field: 'snr', type: 'nominal' } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `SimCLR design study: ${grid.name}`, subtitle: grid.title.replaceAll('`', '') },
    data: { values },
    facet: {
      row: { field: 'metric', type: 'nominal', sort: [...FIGURE_METRICS], title: null },
      column: { field: 'regime', type: 'nominal', title: null },
    },
    spec: {
      width: Math.max(120, 28 * new Set(values.map((v) => v.variant)).size),
      height: 110,
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 1.5 },
          encoding: {
            x,
            xOffset,
            color,
            y: { field: 'low', type: 'quantitative', title: null },
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
