/**
 * The metric names a stored sweep spec lists for its program (`command.metrics`), in order; none for a
 * built-in method's spec. Read from the stored spec as it is, so any version of it answers.
 */
export function listedMetrics(spec: unknown): string[] {
  const metrics = (spec as { command?: { metrics?: unknown } } | null)?.command?.metrics;
  return Array.isArray(metrics) ? metrics.filter((m): m is string => typeof m === 'string') : [];
}
