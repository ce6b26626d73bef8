import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, finish } from './base.ts';
import { curvePanel, heatmapPanel, matrixTablePanel, tablePanel } from './panels.ts';
import { boundaryVsTheory, gridPointTable, phaseHeatmap } from './queries/phase-diagram.ts';
import { refinedBoundaries, refinedSlopes } from './queries/refine.ts';
import { theoryLinesText } from '../sweep/theory-lines.ts';
import {
  axisOptions,
  facetOptions,
  methodOptions,
  metricOptions,
  sweepOptions,
} from './queries/variables.ts';
import { customVariable, queryVariable } from './variable-builders.ts';

export const PHASE_DIAGRAM_UID = 'phasesweep-phase-diagram';

export function phaseDiagramDashboard(): dashboard.Dashboard {
  return finish(
    baseDashboard(
      PHASE_DIAGRAM_UID,
      'Phase diagram',
      'A metric over any two numeric parameters of a sweep (default x: n_labels, y: snr), the others fixed at a chosen slice; seeds with 95% CI, and the estimated phase boundary against the theory line.',
    )
      .withVariable(queryVariable('sweep', 'Sweep', sweepOptions))
      .withVariable(queryVariable('method', 'Method', methodOptions))
      .withVariable(queryVariable('metric', 'Metric', metricOptions))
      .withVariable(queryVariable('x', 'x axis', axisOptions('n_labels')))
      .withVariable(queryVariable('y', 'y axis', axisOptions('snr')))
      .withVariable(customVariable('xscale', 'x spacing', ['rank', 'log2', 'raw']))
      .withVariable(queryVariable('facet', 'Other parameters', facetOptions))
      .withPanel(
        heatmapPanel('$metric over ($x, $y)', phaseHeatmap, {
          description:
            'Mean over seeds of the chosen metric at each grid point of the slice: x is the rank of its value (evenly spaced), log2 of it, or the value itself; rows are the y levels. Every other parameter is fixed at the values "Other parameters" shows. Diverged cells are left out.',
          scheme: 'Viridis',
          fields: { x: 'x', y: 'y' },
          yLabel: '$y',
          w: 14,
          h: 12,
        }),
      )
      .withPanel(
        curvePanel('Estimated boundary vs theory', boundaryVsTheory, {
          description:
            'For a sweep with refine: along snr, when y is snr: snr_star, the stored crossing of each group (where the seed-mean metric crosses the threshold, interpolated in log SNR), with snr_ci95_low/high its 95% interval from a bootstrap over seeds, against x; non-monotone groups are left out. ' +
            "snr_star_traced (larger orange points): the rows refine.trace added between the grid's, on the same curve. " +
            `snr_theory: the line x * SNR^k = C, C fitted to the crossings, only where a theorem gives one, and for the error metrics the theorems are about: ${theoryLinesText()}.`,
          xField: 'n',
          markers: ['snr_star_traced'],
          logY: true,
          w: 10,
          h: 12,
        }),
      )
      .withPanel(
        matrixTablePanel('$metric matrix (irregular grids)', phaseHeatmap, {
          description:
            'The same values as the heatmap as a coloured table: rows x (choose x spacing raw to read its values), columns y.',
          color: dashboard.FieldColorModeId.ContinuousBlYlRd,
          fields: { x: 'x', y: 'y' },
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
            "For a sweep with refine: where the seed-mean metric crosses the threshold in each group (every coordinate but the refined axis and the seed): the crossing interpolated log-linearly between the ends of its grid bracket, its 95% interval from a bootstrap over the group's seeds (no_crossing: resamples that never crossed, counted at the grid edge), the rounds and cells it took; kind flags non-monotone groups and groups with no crossing in range; traced: a row refine.trace added between the grid's rows (the rows in order of their sample size are the boundary's polyline).",
          w: 24,
          h: 8,
        }),
      )
      .withPanel(
        tablePanel('Refined boundary slope (refine:)', refinedSlopes, {
          description:
            'Every method\'s log-log slope of the crossing against the sample size x_axis over the groups that share "where": least squares through the crossings, ci95 from resampling seeds within every group and refitting, OLS interval beside it for comparison. left_out: groups not fitted (non-monotone, or no crossing).',
          w: 24,
          h: 6,
        }),
      ),
  );
}
