import type pg from 'pg';
import { writeBoundaries } from '../store/boundaries.ts';
import { refineObservations } from '../store/refine-cells.ts';
import { estimateBoundaries } from '../sweep/boundary-estimate.ts';
import { planRound, type RefinedSpec, type RoundPlan } from '../sweep/refine-round.ts';

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
  await writeBoundaries(pool, sweepId, spec.refine, plan.boundaries, estimate);
  return plan;
}
