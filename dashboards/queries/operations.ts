import { FINISHED_STATUSES } from '../../sweep/statuses.ts';
import { panelQuery } from '../panel-query.ts';

// A sweep's completed share over time: its cache hits count as done from the start.
export const sweepProgress = panelQuery(
  `
WITH buckets AS (
  SELECT $__timeGroup(r.finished_at, $__interval) AS t, s.id, count(*) AS cells
  FROM results r JOIN sweeps s ON s.id = r.sweep_id
  WHERE $__timeFilter(r.finished_at)
  GROUP BY 1, 2
)
SELECT b.t AS time, s.name || ' ' || left(s.id, 8) AS metric,
  100.0 * (c.cached + sum(b.cells) OVER (PARTITION BY b.id ORDER BY b.t)) / greatest(c.total, 1) AS value
FROM buckets b JOIN sweeps s ON s.id = b.id CROSS JOIN LATERAL sweep_counts(s.id) c
ORDER BY 1`,
  ['time', 'metric', 'value'],
  'time_series',
);

export const cellsPerMinute = panelQuery(
  `
SELECT $__timeGroup(finished_at, '1m') AS time, backend || ' @ ' || worker_id AS metric, count(*) AS value
FROM results
WHERE $__timeFilter(finished_at)
GROUP BY 1, 2
ORDER BY 1`,
  ['time', 'metric', 'value'],
  'time_series',
);

export const workers = panelQuery(
  `
SELECT worker_id, backend, count(*) AS cells, count(*) FILTER (WHERE diverged) AS diverged,
  avg(wall_ms) AS mean_wall_ms,
  count(*) / greatest(extract(epoch FROM max(finished_at) - min(finished_at)) / 60, 1) AS cells_per_min,
  max(finished_at) AS last_result
FROM results
WHERE $__timeFilter(finished_at)
GROUP BY worker_id, backend
ORDER BY cells DESC`,
  ['worker_id', 'backend', 'cells', 'diverged', 'mean_wall_ms', 'cells_per_min', 'last_result'],
);

export const failures = panelQuery(
  `
SELECT f.at AS time, s.name AS sweep, f.sweep_id, f.cell_key, f.attempt, f.error
FROM failures f JOIN sweeps s ON s.id = f.sweep_id
WHERE $__timeFilter(f.at)
ORDER BY f.at DESC
LIMIT 500`,
  ['time', 'sweep', 'sweep_id', 'cell_key', 'attempt', 'error'],
);

export const cacheHitRate = panelQuery(
  `
SELECT 100.0 * sum(c.cached) / nullif(sum(c.total), 0) AS cache_hit_pct
FROM sweeps s CROSS JOIN LATERAL sweep_counts(s.id) c
WHERE $__timeFilter(s.created_at)`,
  ['cache_hit_pct'],
);

// A sweep's counts as `ls` and `show` give them (cli/views/sweep-standing.ts): sweep_counts' (`c`), except
// for a queued sweep (no worker has registered its cells, so sweep_counts reads 0/0), which has none
// of the cells its grid expands to done yet: `run` stored that number with it (sweeps.grid_cells,
// migration 023), and its cache hits and failures are not counted yet (NULL, `ls`'s "-"). The same holds
// for a queued sweep that was cancelled (or failed) before a worker registered any cell.
const unregistered = (c: string): string =>
  `(s.status = 'queued' OR (${c}.total = 0 AND s.grid_cells > 0 AND s.status IN (${FINISHED_STATUSES.map(
    (status) => `'${status}'`,
  ).join(', ')})))`;
const countColumns = (c: string): string =>
  [
    `CASE WHEN ${unregistered(c)} THEN s.grid_cells ELSE ${c}.total END AS total`,
    `${c}.done`,
    `CASE WHEN ${unregistered(c)} THEN NULL ELSE ${c}.cached END AS cached`,
    `CASE WHEN ${unregistered(c)} THEN NULL ELSE ${c}.failed END AS failed`,
    `CASE WHEN ${unregistered(c)} THEN s.grid_cells ELSE ${c}.pending END AS pending`,
  ].join(', ');

// Counts from sweep_counts, the function `ls`, `show` and `watch` read: the same figures at any moment.
// Every sweep not finished, queued ones (no worker has picked them up) included.
export const runningSweeps = panelQuery(
  `
SELECT s.name, s.id, s.status, s.started_at, ${countColumns('c')},
  100.0 * c.done / greatest(c.total, 1) AS progress_pct
FROM sweeps s CROSS JOIN LATERAL sweep_counts(s.id) c
WHERE s.status NOT IN (${FINISHED_STATUSES.map((status) => `'${status}'`).join(', ')})
ORDER BY s.created_at DESC`,
  ['name', 'id', 'status', 'started_at', 'total', 'done', 'cached', 'failed', 'pending', 'progress_pct'],
);

export const recentSweeps = panelQuery(
  `
SELECT s.created_at AS time, s.name, s.id, s.status, ${countColumns('c')},
  CASE WHEN ${unregistered('c')} THEN NULL ELSE 100.0 * c.cached / greatest(c.total, 1) END AS cache_hit_pct,
  extract(epoch FROM coalesce(s.finished_at, now()) - s.started_at) AS seconds
FROM sweeps s CROSS JOIN LATERAL sweep_counts(s.id) c
WHERE $__timeFilter(s.created_at)
ORDER BY s.created_at DESC`,
  [
    'time',
    'name',
    'id',
    'status',
    'total',
    'done',
    'cached',
    'failed',
    'pending',
    'cache_hit_pct',
    'seconds',
  ],
);
