import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { baseDashboard, finish } from './base.ts';
import { statPanel, tablePanel, timeseriesPanel } from './panels.ts';
import {
  cacheHitRate,
  cellsPerMinute,
  failures,
  recentSweeps,
  runningSweeps,
  sweepProgress,
  workers,
} from './queries/operations.ts';

export const OPERATIONS_UID = 'phasesweep-operations';

export function operationsDashboard(): dashboard.Dashboard {
  return finish(
    baseDashboard(
      OPERATIONS_UID,
      'Operations',
      'Sweep progress, throughput by worker and backend, failures, cache hits.',
    )
      .time({ from: 'now-24h', to: 'now' })
      .withPanel(
        timeseriesPanel('Sweep progress', sweepProgress, {
          description: 'Share of each sweep’s cells with a result (cache hits count from the start).',
          unit: 'percent',
          w: 12,
          h: 9,
        }),
      )
      .withPanel(
        timeseriesPanel('Cells per minute by backend and worker', cellsPerMinute, {
          description: 'Results written per minute.',
          unit: 'short',
          w: 12,
          h: 9,
        }),
      )
      .withPanel(
        statPanel('Cache-hit rate', cacheHitRate, {
          description: 'Cells of sweeps created in the time range that were already stored.',
          unit: 'percent',
          w: 4,
          h: 8,
        }),
      )
      .withPanel(
        tablePanel('Running sweeps', runningSweeps, {
          description: 'Pending and running sweeps with live counts from results and failures.',
          w: 20,
          h: 8,
        }),
      )
      .withPanel(
        tablePanel('Workers and backends', workers, {
          description: 'Per worker and backend in the time range.',
          w: 12,
          h: 9,
        }),
      )
      .withPanel(
        tablePanel('Failures', failures, {
          description: 'Cells whose retries were exhausted; a later sweep retries them.',
          w: 12,
          h: 9,
        }),
      )
      .withPanel(
        tablePanel('Sweeps', recentSweeps, {
          description: 'Sweeps created in the time range.',
          w: 24,
          h: 9,
        }),
      ),
  );
}
