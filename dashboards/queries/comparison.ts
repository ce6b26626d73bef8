import { METHOD } from '../../sweep/axes.ts';
import { panelQuery } from '../panel-query.ts';
import { BOUNDARY_ERROR, evenlySpaced, rowLabel } from './slice.ts';

// Mean test error of both methods per (n_labels, SNR) of one sweep, from store/'s grid_point_stats;
// SimCLR at the chosen n_unlabeled.
const METHOD_MEANS = `
SELECT n_labels, snr,
  avg(mean_test_error) FILTER (WHERE method = '${METHOD.supervised}') AS supervised,
  avg(mean_test_error) FILTER (WHERE method = '${METHOD.simclr}' AND n_unlabeled = \${n_unlabeled:sqlstring}) AS simclr
FROM grid_point_stats
WHERE sweep_id = \${sweep:sqlstring}
GROUP BY 1, 2`;

// Gain = supervised error - SimCLR error: positive where pre-training helps.
export const gainHeatmap = panelQuery(
  `
WITH points AS (${METHOD_MEANS}
)
SELECT ${evenlySpaced('n_labels')} AS n, ${rowLabel('snr')} AS snr, supervised - simclr AS value
FROM points WHERE supervised IS NOT NULL AND simclr IS NOT NULL
ORDER BY snr, n_labels`,
  ['n', 'snr', 'value'],
);

export const gainTable = panelQuery(
  `
WITH points AS (${METHOD_MEANS}
)
SELECT n_labels, snr, supervised, simclr, supervised - simclr AS gain
FROM points WHERE supervised IS NOT NULL OR simclr IS NOT NULL
ORDER BY n_labels, snr`,
  ['n_labels', 'snr', METHOD.supervised, METHOD.simclr, 'gain'],
);

// Label complexity: the fewest labels that reach the boundary error level, per SNR and method.
export const labelComplexity = panelQuery(
  `
WITH points AS (${METHOD_MEANS}
)
SELECT snr,
  min(n_labels) FILTER (WHERE supervised <= ${BOUNDARY_ERROR}) AS supervised,
  min(n_labels) FILTER (WHERE simclr <= ${BOUNDARY_ERROR}) AS simclr
FROM points
GROUP BY snr
ORDER BY snr`,
  ['snr', METHOD.supervised, METHOD.simclr],
);
