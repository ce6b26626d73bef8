import type pg from 'pg';
import { writeBoundaries } from '../store/boundaries.ts';
import { refineObservations } from '../store/refine-cells.ts';
import { estimateBoundaries, sweepBoundarySpec, type BoundarySource } from '../sweep/boundary-estimate.ts';
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
  source: BoundarySource = 'refine',
): Promise<RoundPlan> {
  const observations = await refineObservations(pool, sweepId, spec.refine.metric, round);
  const plan = planRound(spec, observations, register);
  const estimate = estimateBoundaries(spec, observations, plan.boundaries);
  await writeBoundaries(pool, sweepId, spec.refine, plan.boundaries, estimate, source);
  return plan;
}

// At the end of a sweep without refine: its SNR boundary (sweepBoundarySpec), for Grafana's
// boundary panel; nothing for a grid that does not scan SNR.
export async function storeSweepBoundaries(pool: pg.Pool, sweepId: string, spec: SweepSpec): Promise<void> {
  const scanned = sweepBoundarySpec(spec);
  if (scanned) await storeBoundaries(pool, sweepId, scanned, ALL_ROUNDS, false, 'sweep');
}
