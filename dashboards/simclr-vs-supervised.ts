import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, finish } from './base.ts';
import { curvePanel, heatmapPanel, tablePanel } from './panels.ts';
import { gainHeatmap, gainTable, labelComplexity } from './queries/comparison.ts';
import { simclrUnlabeledOptions, sweepOptions } from './queries/variables.ts';
import { customVariable, queryVariable } from './variable-builders.ts';

export const COMPARISON_UID = 'phasesweep-simclr-vs-supervised';

export function comparisonDashboard(): dashboard.Dashboard {
  return finish(
    baseDashboard(
      COMPARISON_UID,
      'SimCLR vs supervised',
      'Where SimCLR pre-training beats direct supervised training: gain in test error and labels needed.',
    )
      .withVariable(queryVariable('sweep', 'Sweep', sweepOptions))
      .withVariable(queryVariable('n_unlabeled', 'n_unlabeled (SimCLR)', simclrUnlabeledOptions))
      .withVariable(customVariable('xscale', 'x spacing', ['log2', 'rank', 'raw']))
      .withPanel(
        heatmapPanel('Gain: supervised error - SimCLR error', gainHeatmap, {
          description:
            'Positive where pre-training helps. x is log2(n_labels) or its rank; rows are SNR levels.',
          scheme: 'RdBu',
          min: -0.5,
          max: 0.5,
          w: 14,
          h: 12,
        }),
      )
      .withPanel(
        curvePanel('Label complexity', labelComplexity, {
          description:
            'Fewest labels with mean test error <= 0.25, per SNR: supervised needs ~SNR^-q, SimCLR ~polylog.',
          xField: 'snr',
          logY: true,
          w: 10,
          h: 12,
        }),
      )
      .withPanel(
        tablePanel('Mean test error by method', gainTable, {
          description: 'Per (n_labels, SNR): both methods and their difference.',
          w: 24,
          h: 10,
        }),
      ),
  );
}
