import { driftSamples, earlierScheduledSweeps, recordDrift } from '../store/drift.ts';
import { getSweep } from '../store/sweeps.ts';
import { gridDrift } from '../sweep/drift.ts';
import { driftBaseline } from '../sweep/drift-baseline.ts';
import { listedMetrics } from '../sweep/command-metrics.ts';
import { storedCodeHash } from '../sweep/code-versions.ts';
import type { ActivityDeps } from './deps.ts';
import type { RecordScheduleDriftInput, ScheduleDriftOutcome } from './contract.ts';

// After a scheduled sweep: its drift against the baseline sweep/drift-baseline.ts chooses among the
// schedule's earlier finished runs (the previous run, or with fresh seeds all earlier runs pooled; for
// a program, of one version only). The store reads the samples, sweep/drift.ts tests them, the store
// records the outcome. Null when the sweep has no schedule or its schedule no earlier finished run.
export function makeRecordScheduleDrift({ pool }: ActivityDeps) {
  return async function recordScheduleDriftActivity(
    input: RecordScheduleDriftInput,
  ): Promise<ScheduleDriftOutcome | null> {
    const sweep = await getSweep(pool, input.sweepId);
    if (!sweep?.schedule_id) return null;
    const baseline = driftBaseline(
      storedCodeHash(sweep.spec),
      await earlierScheduledSweeps(pool, sweep.schedule_id, sweep.created_at),
      input.freshSeeds ?? false,
    );
    if (baseline === null) return null;
    // A program's runs are compared on the first metric its spec lists, the built-in methods' on test error.
    const metric = listedMetrics(sweep.spec)[0] ?? 'test_error';
    const report = gridDrift(
      await driftSamples(pool, baseline.runs, metric),
      await driftSamples(pool, [sweep.id], metric),
    );
    const outcome: ScheduleDriftOutcome = {
      baseline_sweep_id: baseline.runs[0],
      baseline_runs: baseline.runs.length,
      compared: report.compared,
      retrained: report.retrained,
      moved: report.moved.length,
      code_hash: baseline.code_hash,
      baseline_code_hash: baseline.baseline_code_hash,
    };
    const { code_hash: _tonight, baseline_code_hash: _baseline, ...counts } = outcome;
    await recordDrift(pool, {
      sweep_id: sweep.id,
      schedule_id: sweep.schedule_id,
      points: report.moved,
      ...counts,
    });
    return outcome;
  };
}
