import type pg from 'pg';
import { writeBoundaries } from '../store/boundaries.ts';
import { pointCells, pointMeans } from '../store/point-means.ts';
import { refineObservations } from '../store/refine-cells.ts';
import { estimateBoundaries, sweepBoundarySpec } from '../sweep/boundary-estimate.ts';
import { planFromMeans, withWindowIntervals } from '../sweep/boundary-window.ts';
import { planRound, type RefinedSpec, type RoundPlan } from '../sweep/refine-round.ts';
import type { SweepSpec } from '../sweep/spec-schema.ts';

// Every round, whatever the round number, when nothing later than it should be left out.
export const ALL_ROUNDS = 2 ** 31 - 1;

// The boundaries of a refined sweep from its stored results only: the cells of the rounds before
// `round`, planned (brackets, and when `register` the next round's cells), each group's crossing with
// its seed-bootstrap interval and the slopes, all written to the store. Run by every refine round and
// by `phasesweep boundaries`, which recomputes them for the whole sweep.
export async function storeBoundaries(
  pool: pg.Pool,
  sweepId: string,
  spec: RefinedSpec,
  round: number,
  register: boolean,
): Promise<RoundPlan> {
  const observations = await refineObservations(pool, sweepId, spec.refine.metric, round);
  const plan = planRound(spec, observations, register);
  const estimate = estimateBoundaries(spec, observations, plan.boundaries);
  await writeBoundaries(pool, sweepId, spec.refine, plan.boundaries, estimate, 'refine');
  return plan;
}

// At the end of a sweep without refine: its SNR boundary (sweepBoundarySpec), for Grafana's
// boundary panel; nothing for a grid that does not scan SNR. From the grid points' seed means and the
// cells of the points beside each crossing only (sweep/boundary-window.ts), so that its cost does not
// grow with every cell of a large sweep.
export async function storeSweepBoundaries(pool: pg.Pool, sweepId: string, spec: SweepSpec): Promise<void> {
  const scanned = sweepBoundarySpec(spec);
  if (!scanned) return;
  const { metric } = scanned.refine;
  const points = await pointMeans(pool, sweepId, metric);
  const { boundaries, windowKeys } = planFromMeans(scanned, points);
  const window = await pointCells(pool, sweepId, metric, windowKeys);
  const groups = withWindowIntervals(scanned, points, boundaries, window);
  const estimate = estimateBoundaries(scanned, window, groups);
  await writeBoundaries(pool, sweepId, scanned.refine, groups, estimate, 'sweep');
}
