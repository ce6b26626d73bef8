import { recordDrift } from '../store/drift.ts';
import { scheduledDrift } from '../store/scheduled-drift.ts';
import { getSweep } from '../store/sweeps.ts';
import { listedMetrics } from '../sweep/command-metrics.ts';
import type { ActivityDeps } from './deps.ts';
import type { RecordScheduleDriftInput, ScheduleDriftOutcome } from './contract.ts';

// After a scheduled sweep: its drift against the baseline sweep/drift-baseline.ts chooses among the
// schedule's earlier finished runs (the previous run, or with fresh seeds all earlier runs pooled; for
// a program, of one version only), tested by sweep/drift.ts and recorded in the store. Null when the
// sweep has no schedule or its schedule no earlier finished run.
export function makeRecordScheduleDrift({ pool }: ActivityDeps) {
  return async function recordScheduleDriftActivity(
    input: RecordScheduleDriftInput,
  ): Promise<ScheduleDriftOutcome | null> {
    const sweep = await getSweep(pool, input.sweepId);
    if (!sweep) return null;
    const drift = await scheduledDrift(pool, sweep, {
      freshSeeds: input.freshSeeds ?? false,
      // A program's runs are compared on the first metric its spec lists, the built-in methods' on test error.
      metric: listedMetrics(sweep.spec)[0] ?? 'test_error',
    });
    if (drift === null) return null;
    const { baseline, report } = drift;
    const counts = {
      baseline_sweep_id: baseline.runs[0],
      baseline_runs: baseline.runs.length,
      compared: report.compared,
      retrained: report.retrained,
      moved: report.moved.length,
    };
    await recordDrift(pool, {
      sweep_id: sweep.id,
      schedule_id: sweep.schedule_id,
      points: report.moved,
      ...counts,
    });
    return { ...counts, code_hash: baseline.code_hash, baseline_code_hash: baseline.baseline_code_hash };
  };
}
