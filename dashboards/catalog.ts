import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { nightlyDashboard } from './nightly.ts';
import { operationsDashboard } from './operations.ts';
import { phaseDiagramDashboard } from './phase-diagram.ts';
import { comparisonDashboard } from './simclr-vs-supervised.ts';
import type { PanelQuery } from './panel-query.ts';
import * as comparison from './queries/comparison.ts';
import * as nightly from './queries/nightly.ts';
import * as operations from './queries/operations.ts';
import * as phase from './queries/phase-diagram.ts';
import * as refine from './queries/refine.ts';

export interface DashboardEntry {
  file: string;
  build(): dashboard.Dashboard;
}

export const DASHBOARDS: readonly DashboardEntry[] = [
  { file: 'phase-diagram.json', build: phaseDiagramDashboard },
  { file: 'simclr-vs-supervised.json', build: comparisonDashboard },
  { file: 'operations.json', build: operationsDashboard },
  { file: 'nightly.json', build: nightlyDashboard },
];

// Every panel query with the columns its panel reads, found by SQL text.
export const PANEL_QUERIES: readonly PanelQuery[] = [
  ...Object.values(phase),
  ...Object.values(comparison),
  ...Object.values(operations),
  ...Object.values(nightly),
  ...Object.values(refine),
];

export function buildAll(): { file: string; dashboard: dashboard.Dashboard }[] {
  return DASHBOARDS.map((d) => ({ file: d.file, dashboard: d.build() }));
}
