import { z } from 'zod';
import { RESULT_METRICS } from '../trainer/index.ts';

export const DEFAULT_REFINE_THRESHOLD = 0.25;
export const DEFAULT_MAX_ROUNDS = 8;
// Each round is a few activities and a few history events per batch: far from Temporal's limits even
// at the maximum, and the workflow continues as new when a run's history grows.
export const MAX_REFINE_ROUNDS = 30;
export const MAX_REFINE_POINTS = 16;
export const DEFAULT_MAX_SEEDS = 32;
// Seeds per cell a refined sweep may reach: a bootstrap interval narrows as 1/sqrt(seeds), so beyond a
// few hundred seeds a narrower interval costs more than a denser grid would.
export const MAX_REFINE_SEEDS = 1024;
export const DEFAULT_CI_WIDTH = 0.02;

const finite = z.number({ error: 'expected a finite number' }).finite('expected a finite number');
const whole = (what: string, max: number) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int(`expected a whole number of ${what}`)
    .min(1, `expected at least 1`)
    .max(max, `expected at most ${max}`);

// Seeds added beside a settled crossing until its ci95 is narrower than ci_width (README "Seeds where
// they matter").
export const refineSeedsSchema = z.strictObject(
  {
    max: whole('seeds', MAX_REFINE_SEEDS).default(DEFAULT_MAX_SEEDS),
    ci_width: finite.positive('expected an interval width > 0').default(DEFAULT_CI_WIDTH),
  },
  { error: 'expected a mapping with max, ci_width' },
);

// A second grid axis whose rows are added where the crossing moves (README "Tracing the boundary in
// two dimensions"); checked against the grid by checkRefine.
export const refineTraceSchema = z.strictObject(
  {
    axis: z.string({ error: 'expected the name of a numeric grid axis, e.g. n_labels' }),
    resolution: finite.positive('expected a crossing difference > 0'),
  },
  { error: 'expected a mapping with axis, resolution' },
);

// Which grid axis to bisect and where: checked against the grid by checkRefine (refine-check.ts).
export const refineSchema = z.strictObject(
  {
    axis: z.string({ error: 'expected the name of a numeric grid axis, e.g. snr' }),
    // Any metric's name: checkRefine holds it to the spec's method (a built-in metric, or one of the
    // metrics a program's spec lists).
    metric: z
      .string({ error: `expected a result metric: ${RESULT_METRICS.join(', ')}` })
      .regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, `expected a result metric: ${RESULT_METRICS.join(', ')}`)
      .default('test_error'),
    threshold: finite.default(DEFAULT_REFINE_THRESHOLD),
    resolution: finite.positive('expected a bracket width > 0'),
    max_rounds: whole('rounds', MAX_REFINE_ROUNDS).default(DEFAULT_MAX_ROUNDS),
    points: whole('points', MAX_REFINE_POINTS).default(1),
    seeds: refineSeedsSchema.optional(),
    trace: refineTraceSchema.optional(),
  },
  { error: 'expected a mapping with axis, metric, threshold, resolution, max_rounds, points, seeds, trace' },
);

export type RefineSpec = z.output<typeof refineSchema>;
export type RefineSeedsSpec = z.output<typeof refineSeedsSchema>;
export type RefineTraceSpec = z.output<typeof refineTraceSchema>;

// What an unknown key inside the refine section should have been, by the mapping it is in.
export const REFINE_KEYS: Record<string, readonly string[]> = {
  refine: Object.keys(refineSchema.shape),
  seeds: Object.keys(refineSeedsSchema.shape),
  trace: Object.keys(refineTraceSchema.shape),
};
