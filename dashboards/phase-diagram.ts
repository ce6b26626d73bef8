import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, finish } from './base.ts';
import { curvePanel, heatmapPanel, matrixTablePanel, tablePanel } from './panels.ts';
import { boundaryVsTheory, gridPointTable, phaseHeatmap } from './queries/phase-diagram.ts';
import { refinedBoundaries } from './queries/refine.ts';
import { methodOptions, nLabelsOptions, nUnlabeledOptions, sweepOptions } from './queries/variables.ts';
import { customVariable, queryVariable } from './variable-builders.ts';

export const PHASE_DIAGRAM_UID = 'phasesweep-phase-diagram';

export function phaseDiagramDashboard(): dashboard.Dashboard {
  return finish(
    baseDashboard(
      PHASE_DIAGRAM_UID,
      'Phase diagram',
      'A metric over the sweep grid (x: sample size, y: SNR), seeds with 95% CI, and the estimated phase boundary against the theory line.',
    )
      .withVariable(queryVariable('sweep', 'Sweep', sweepOptions))
      .withVariable(queryVariable('method', 'Method', methodOptions))
      .withVariable(customVariable('metric', 'Metric', ['test_error', 'test_loss', 'signal_alignment']))
      .withVariable(customVariable('xaxis', 'x axis', ['n_labels', 'n_unlabeled']))
      .withVariable(customVariable('xscale', 'x spacing', ['log2', 'rank', 'raw']))
      .withVariable(queryVariable('n_labels', 'n_labels (when x is n_unlabeled)', nLabelsOptions))
      .withVariable(
        queryVariable('n_unlabeled', 'n_unlabeled (when x is n_labels; 0 = unused)', nUnlabeledOptions),
      )
      .withPanel(
        heatmapPanel('$metric over ($xaxis, SNR)', phaseHeatmap, {
          description:
            'Mean over seeds of the chosen metric; x is log2 of the sample size, its rank, or (raw) the size itself; rows are SNR levels. Diverged cells are left out.',
          scheme: 'Viridis',
          w: 14,
          h: 12,
        }),
      )
      .withPanel(
        curvePanel('Estimated boundary vs theory', boundaryVsTheory, {
          description:
            'snr_star: the SNR where mean test error falls below 0.25 (interpolated in log SNR). snr_theory: the line n * SNR^q = C (q = 2 for n_unlabeled), C fitted to the estimates.',
          xField: 'n',
          logY: true,
          w: 10,
          h: 12,
        }),
      )
      .withPanel(
        matrixTablePanel('$metric matrix (irregular grids)', phaseHeatmap, {
          description:
            'The same values as the heatmap as a coloured table: rows n (choose x spacing raw to read sizes), columns SNR.',
          color: dashboard.FieldColorModeId.ContinuousBlYlRd,
          w: 24,
          h: 9,
        }),
      )
      .withPanel(
        tablePanel('Grid points: seeds, mean and 95% CI of $metric', gridPointTable, {
          description:
            'One row per grid point over seeds; the CI uses Student t with seeds - 1 degrees of freedom.',
          w: 24,
          h: 12,
        }),
      )
      .withPanel(
        tablePanel('Refined boundary per group (refine:)', refinedBoundaries, {
          description:
            'For a sweep with refine: where the seed-mean metric crosses the threshold in each group (every coordinate but the refined axis and the seed): the crossing interpolated log-linearly between the ends of its final bracket, the rounds and cells it took; kind flags non-monotone groups and groups with no crossing in range.',
          w: 24,
          h: 8,
        }),
      ),
  );
}
