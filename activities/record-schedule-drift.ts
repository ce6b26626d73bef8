import { driftSamples, earlierScheduledSweeps, recordDrift } from '../store/drift.ts';
import { getSweep } from '../store/sweeps.ts';
import { gridDrift } from '../sweep/drift.ts';
import { listedMetrics } from '../sweep/command-metrics.ts';
import type { ActivityDeps } from './deps.ts';
import type { RecordScheduleDriftInput, ScheduleDriftOutcome } from './contract.ts';

// After a scheduled sweep: its drift against the schedule's previous finished run, or, when every run
// trains fresh seeds, against all earlier finished runs pooled (tonight's seeds against every earlier
// one). The store reads the samples, sweep/drift.ts tests them, the store records the outcome. Null
// when the sweep has no schedule or its schedule no earlier finished run.
export function makeRecordScheduleDrift({ pool }: ActivityDeps) {
  return async function recordScheduleDriftActivity(
    input: RecordScheduleDriftInput,
  ): Promise<ScheduleDriftOutcome | null> {
    const sweep = await getSweep(pool, input.sweepId);
    if (!sweep?.schedule_id) return null;
    const earlier = await earlierScheduledSweeps(pool, sweep.schedule_id, sweep.created_at);
    if (earlier.length === 0) return null;
    const baseline = input.freshSeeds ? earlier : earlier.slice(0, 1);
    // A program's runs are compared on the first metric its spec lists, the built-in methods' on test error.
    const metric = listedMetrics(sweep.spec)[0] ?? 'test_error';
    const report = gridDrift(
      await driftSamples(pool, baseline, metric),
      await driftSamples(pool, [sweep.id], metric),
    );
    const outcome: ScheduleDriftOutcome = {
      baseline_sweep_id: baseline[0],
      baseline_runs: baseline.length,
      compared: report.compared,
      retrained: report.retrained,
      moved: report.moved.length,
    };
    await recordDrift(pool, {
      sweep_id: sweep.id,
      schedule_id: sweep.schedule_id,
      points: report.moved,
      ...outcome,
    });
    return outcome;
  };
}
