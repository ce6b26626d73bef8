import pg from 'pg';
import { isResultMetric, type MetricName } from '../trainer/index.ts';

/**
 * The SQL value of a metric in a results row (`alias`), by name: a built-in metric's column for a
 * built-in method's result, and for a program's result (`metrics` holds what it reported, 019) the
 * number it reported under that name, NULL where it reported none or null.
 */
export function metricValueSql(alias: string, metric: MetricName): string {
  const name = pg.escapeLiteral(metric);
  const named = `CASE WHEN jsonb_typeof(${alias}.metrics -> ${name}) = 'number' THEN (${alias}.metrics ->> ${name})::double precision END`;
  if (!isResultMetric(metric)) return named;
  return `CASE WHEN ${alias}.metrics IS NULL THEN ${alias}.${pg.escapeIdentifier(metric)} ELSE ${named} END`;
}
