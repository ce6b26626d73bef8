import { SCHEDULE_DRIFT_RECORDS_SQL } from '../../store/drift.ts';
import { SCHEDULE_DRIFT_SQL, withParams } from '../../store/queries.ts';
import { SHORT_HASH_CHARS } from '../../sweep/code-versions.ts';
import { panelQuery } from '../panel-query.ts';

// store/'s per-run grid points of a schedule, newest runs first: k = 1 is last night.
const RUN_POINTS = `
WITH drift AS (${withParams(SCHEDULE_DRIFT_SQL, [`\${schedule:sqlstring}`, '${runs:sqlstring}'])}
), points AS (
  SELECT dense_rank() OVER (ORDER BY created_at DESC, sweep_id) AS k, * FROM drift
)`;

export const lastRuns = panelQuery(
  `
SELECT s.created_at AS time, s.id, s.status, s.trainer_version, c.total, c.done, c.cached, c.failed,
  c.pending,
  (SELECT avg(g.mean_test_error) FROM grid_point_stats g WHERE g.sweep_id = s.id) AS mean_test_error,
  extract(epoch FROM s.finished_at - s.started_at) AS seconds
FROM (
  SELECT * FROM sweeps WHERE schedule_id = \${schedule:sqlstring} ORDER BY created_at DESC LIMIT \${runs:sqlstring}
) s
CROSS JOIN LATERAL sweep_counts(s.id) c
ORDER BY s.created_at DESC`,
  [
    'time',
    'id',
    'status',
    'trainer_version',
    'total',
    'done',
    'cached',
    'failed',
    'pending',
    'mean_test_error',
    'seconds',
  ],
);

// One row per grid point, the last three runs side by side; drift = last run minus the one before.
export const sideBySide = panelQuery(
  `${RUN_POINTS}
SELECT method, n_labels, n_unlabeled, snr,
  avg(mean_test_error) FILTER (WHERE k = 1) AS run_1,
  avg(mean_test_error) FILTER (WHERE k = 2) AS run_2,
  avg(mean_test_error) FILTER (WHERE k = 3) AS run_3,
  avg(mean_test_error) FILTER (WHERE k = 1) - avg(mean_test_error) FILTER (WHERE k = 2) AS drift
FROM points
GROUP BY method, n_labels, n_unlabeled, snr
ORDER BY abs(avg(mean_test_error) FILTER (WHERE k = 1) - avg(mean_test_error) FILTER (WHERE k = 2)) DESC NULLS LAST,
  method, n_labels, n_unlabeled, snr`,
  ['method', 'n_labels', 'n_unlabeled', 'snr', 'run_1', 'run_2', 'run_3', 'drift'],
);

export const maxDrift = panelQuery(
  `${RUN_POINTS}, pairs AS (
  SELECT avg(mean_test_error) FILTER (WHERE k = 1) - avg(mean_test_error) FILTER (WHERE k = 2) AS drift
  FROM points
  GROUP BY method, n_labels, n_unlabeled, snr
)
SELECT max(abs(drift)) AS max_abs_drift, count(*) FILTER (WHERE abs(drift) > 0.1) AS points_over_0_1
FROM pairs`,
  ['max_abs_drift', 'points_over_0_1'],
);

export const errorByRun = panelQuery(
  `${RUN_POINTS}
SELECT created_at AS time, method AS metric, avg(mean_test_error) AS value
FROM points
WHERE $__timeFilter(created_at)
GROUP BY 1, 2
ORDER BY 1`,
  ['time', 'metric', 'value'],
  'time_series',
);

// Drift records the CLI stores per run (store/'s sweep_drift): grid points whose mean test error (a
// program's first metric) moved significantly against the previous run(s). retrained: of the compared
// points, those the run trained again; 0 means every cell was a cache hit, so nothing could move (NULL
// in records from before it was counted). A program's runs name its version and the baseline's: they
// differ when the program changed, and drift then measures the change.
export const recordedDrift = panelQuery(
  `
SELECT d.recorded_at AS time, d.sweep_id, d.baseline_sweep_id, d.baseline_runs, d.compared, d.retrained,
  d.moved, 100.0 * d.moved / greatest(d.compared, 1) AS moved_pct,
  left(d.baseline_code_hash, ${SHORT_HASH_CHARS}) AS baseline_program, left(d.code_hash, ${SHORT_HASH_CHARS}) AS program
FROM (${withParams(SCHEDULE_DRIFT_RECORDS_SQL, ['${schedule:sqlstring}', '${runs:sqlstring}'])}) d
ORDER BY d.recorded_at DESC`,
  [
    'time',
    'sweep_id',
    'baseline_sweep_id',
    'baseline_runs',
    'compared',
    'retrained',
    'moved',
    'moved_pct',
    'baseline_program',
    'program',
  ],
);
