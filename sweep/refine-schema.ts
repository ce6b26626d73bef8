import { z } from 'zod';
import { RESULT_METRICS } from '../trainer/index.ts';

export const DEFAULT_REFINE_THRESHOLD = 0.25;
export const DEFAULT_MAX_ROUNDS = 8;
// Each round is a few activities and a few history events per batch: far from Temporal's limits even
// at the maximum, and the workflow continues as new when a run's history grows.
export const MAX_REFINE_ROUNDS = 30;
export const MAX_REFINE_POINTS = 16;

const finite = z.number({ error: 'expected a finite number' }).finite('expected a finite number');
const whole = (what: string, max: number) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int(`expected a whole number of ${what}`)
    .min(1, `expected at least 1`)
    .max(max, `expected at most ${max}`);

// Which grid axis to bisect and where: checked against the grid by checkRefine (refine-check.ts).
export const refineSchema = z.strictObject(
  {
    axis: z.string({ error: 'expected the name of a numeric grid axis, e.g. snr' }),
    metric: z
      .enum(RESULT_METRICS, { error: `expected a result metric: ${RESULT_METRICS.join(', ')}` })
      .default('test_error'),
    threshold: finite.default(DEFAULT_REFINE_THRESHOLD),
    resolution: finite.positive('expected a bracket width > 0'),
    max_rounds: whole('rounds', MAX_REFINE_ROUNDS).default(DEFAULT_MAX_ROUNDS),
    points: whole('points', MAX_REFINE_POINTS).default(1),
  },
  { error: 'expected a mapping with axis, metric, threshold, resolution, max_rounds, points' },
);

export type RefineSpec = z.output<typeof refineSchema>;
