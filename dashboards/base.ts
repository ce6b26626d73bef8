import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

export const DASHBOARD_TAGS = ['phasesweep'];

export function baseDashboard(uid: string, title: string, description: string): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(DASHBOARD_TAGS)
    .editable()
    .time({ from: 'now-7d', to: 'now' })
    .refresh('1m')
    .tooltip(dashboard.DashboardCursorSync.Crosshair);
}

// Panel ids must be unique within a dashboard; numbering them here keeps the JSON stable between builds.
export function finish(builder: dashboard.DashboardBuilder): dashboard.Dashboard {
  const built = builder.build();
  (built.panels ?? []).forEach((panel, i) => {
    panel.id = i + 1;
  });
  return built;
}
