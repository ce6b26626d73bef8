import { panelQuery } from '../panel-query.ts';

// Runs of the chosen schedule, newest first: k = 1 is last night.
const RUNS = `
SELECT id, created_at, row_number() OVER (ORDER BY created_at DESC) AS k
FROM sweeps WHERE schedule_id = '\${schedule}'`;

const RUN_POINTS = `
SELECT runs.k, sc.method, sc.n_labels, sc.n_unlabeled, sc.snr, avg(r.test_error) AS err
FROM runs JOIN sweep_cells sc ON sc.sweep_id = runs.id JOIN results r ON r.cell_key = sc.cell_key
WHERE runs.k <= \${runs} AND NOT r.diverged
GROUP BY 1, 2, 3, 4, 5`;

export const lastRuns = panelQuery(
  `
WITH runs AS (${RUNS}
)
SELECT s.created_at AS time, s.id, s.status, s.trainer_version, s.total_cells, s.cached_cells,
  s.done_cells, s.failed_cells,
  (SELECT avg(r.test_error) FROM sweep_cells sc JOIN results r ON r.cell_key = sc.cell_key
    WHERE sc.sweep_id = s.id AND NOT r.diverged) AS mean_test_error,
  extract(epoch FROM s.finished_at - s.started_at) AS seconds
FROM runs JOIN sweeps s ON s.id = runs.id
WHERE runs.k <= \${runs}
ORDER BY s.created_at DESC`,
  [
    'time',
    'id',
    'status',
    'trainer_version',
    'total_cells',
    'cached_cells',
    'done_cells',
    'failed_cells',
    'mean_test_error',
    'seconds',
  ],
);

// One row per grid point, the last three runs side by side; drift = last night minus the night before.
export const sideBySide = panelQuery(
  `
WITH runs AS (${RUNS}
), points AS (${RUN_POINTS}
)
SELECT method, n_labels, n_unlabeled, snr,
  max(err) FILTER (WHERE k = 1) AS run_1,
  max(err) FILTER (WHERE k = 2) AS run_2,
  max(err) FILTER (WHERE k = 3) AS run_3,
  max(err) FILTER (WHERE k = 1) - max(err) FILTER (WHERE k = 2) AS drift
FROM points
GROUP BY method, n_labels, n_unlabeled, snr
ORDER BY abs(max(err) FILTER (WHERE k = 1) - max(err) FILTER (WHERE k = 2)) DESC NULLS LAST,
  method, n_labels, n_unlabeled, snr`,
  ['method', 'n_labels', 'n_unlabeled', 'snr', 'run_1', 'run_2', 'run_3', 'drift'],
);

export const maxDrift = panelQuery(
  `
WITH runs AS (${RUNS}
), points AS (${RUN_POINTS}
)
SELECT max(abs(a.err - b.err)) AS max_abs_drift,
  count(*) FILTER (WHERE abs(a.err - b.err) > 0.1) AS points_over_0_1
FROM points a JOIN points b
  ON b.k = 2 AND a.method = b.method AND a.n_labels = b.n_labels
  AND a.n_unlabeled IS NOT DISTINCT FROM b.n_unlabeled AND a.snr = b.snr
WHERE a.k = 1`,
  ['max_abs_drift', 'points_over_0_1'],
);

export const errorByRun = panelQuery(
  `
WITH runs AS (${RUNS}
)
SELECT runs.created_at AS time, sc.method AS metric, avg(r.test_error) AS value
FROM runs JOIN sweep_cells sc ON sc.sweep_id = runs.id JOIN results r ON r.cell_key = sc.cell_key
WHERE $__timeFilter(runs.created_at) AND NOT r.diverged
GROUP BY 1, 2
ORDER BY 1`,
  ['time', 'metric', 'value'],
  'time_series',
);
