// A panel's SQL together with the columns the panel reads from its result: the integration test runs
// the SQL against a real sweep and checks those columns, so a renamed column fails a test, not a chart.
export interface PanelQuery {
  sql: string;
  columns: readonly string[];
  // time_series makes the datasource turn long rows (time, metric, value) into one series per metric.
  format?: 'table' | 'time_series';
}

export function panelQuery(
  sql: string,
  columns: readonly string[],
  format?: PanelQuery['format'],
): PanelQuery {
  return { sql: sql.trim(), columns, ...(format ? { format } : {}) };
}
