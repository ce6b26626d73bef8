import type pg from 'pg';
import { storedCodeHash } from '../sweep/code-versions.ts';
import { driftBaseline, type DriftBaseline } from '../sweep/drift-baseline.ts';
import { gridDrift, type DriftOptions, type DriftReport } from '../sweep/drift.ts';
import type { MetricName } from '../trainer/index.ts';
import { driftSamples, earlierScheduledSweeps } from './drift.ts';
import type { SweepRow } from './sweeps.ts';

export interface ScheduledDrift {
  baseline: DriftBaseline;
  report: DriftReport;
}

export interface ScheduledDriftOptions extends DriftOptions {
  // The schedule's runs train fresh seeds (`schedule create --fresh-seeds`).
  freshSeeds: boolean;
  metric: MetricName;
  // `drift --code-hash`: the program version of the baseline, a prefix or `all`.
  codeHash?: string;
}

/**
 * A scheduled run's drift against the baseline sweep/drift-baseline.ts chooses among its schedule's
 * earlier finished runs: what the schedule records after each run, and what `drift <sweep>` prints. Null
 * when the sweep has no schedule, or its schedule no earlier run of the version chosen.
 */
export async function scheduledDrift(
  pool: pg.Pool,
  sweep: Pick<SweepRow, 'id' | 'spec' | 'schedule_id' | 'created_at'>,
  opts: ScheduledDriftOptions,
): Promise<ScheduledDrift | null> {
  if (!sweep.schedule_id) return null;
  const baseline = driftBaseline(
    storedCodeHash(sweep.spec),
    await earlierScheduledSweeps(pool, sweep.schedule_id, sweep.created_at),
    opts.freshSeeds,
    opts.codeHash,
  );
  if (baseline === null) return null;
  const report = gridDrift(
    await driftSamples(pool, baseline.runs, opts.metric),
    await driftSamples(pool, [sweep.id], opts.metric),
    opts,
  );
  return { baseline, report };
}
