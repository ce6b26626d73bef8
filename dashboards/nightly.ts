import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, finish } from './base.ts';
import { statPanel, tablePanel, timeseriesPanel } from './panels.ts';
import { errorByRun, lastRuns, maxDrift, recordedDrift, sideBySide } from './queries/nightly.ts';
import { scheduleOptions } from './queries/variables.ts';
import { customVariable, queryVariable } from './variable-builders.ts';

export const NIGHTLY_UID = 'phasesweep-nightly';

export function nightlyDashboard(): dashboard.Dashboard {
  return finish(
    baseDashboard(
      NIGHTLY_UID,
      'Nightly',
      'The last runs of a schedule side by side and the drift between them.',
    )
      .time({ from: 'now-30d', to: 'now' })
      .withVariable(queryVariable('schedule', 'Schedule', scheduleOptions))
      .withVariable(customVariable('runs', 'Runs shown', ['3', '7', '14']))
      .withPanel(
        statPanel('Largest drift (last vs previous run)', maxDrift, {
          description:
            'Max |difference| of mean test error over grid points, and how many points moved by more than 0.1.',
          unit: 'none',
          decimals: 3,
          w: 6,
          h: 8,
        }),
      )
      .withPanel(
        timeseriesPanel('Mean test error per run', errorByRun, {
          description: 'Over all grid points of each run, by method.',
          unit: 'none',
          w: 18,
          h: 8,
        }),
      )
      .withPanel(
        tablePanel('Last runs', lastRuns, {
          description: 'Newest first.',
          w: 24,
          h: 8,
        }),
      )
      .withPanel(
        tablePanel('Recorded drift (grid points that moved, and how many were retrained)', recordedDrift, {
          description:
            'Per run, against the run(s) before it: grid points compared, how many of them the run trained again (retrained; 0: every cell a cache hit, nothing could move) and how many moved. For a program, its version in the baseline and in the run: the same, or the version before a change.',
          w: 24,
          h: 7,
        }),
      )
      .withPanel(
        tablePanel('Grid points, last three runs side by side', sideBySide, {
          description: 'Mean test error per grid point; run_1 is the latest. Sorted by |drift|.',
          w: 24,
          h: 12,
        }),
      ),
  );
}
