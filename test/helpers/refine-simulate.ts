// Runs refine: rounds without a stack, as the sweep workflow does: plan a round from every cell of the
// rounds before it, "train" its cells with a given metric, repeat until a round adds nothing or
// max_rounds is reached. For unit tests of the planners over many rounds.
import type { CellParams } from '../../trainer/index.ts';
import { expandCells } from '../../sweep/cells.ts';
import {
  planRound,
  type RefinedSpec,
  type RoundObservation,
  type RoundPlan,
} from '../../sweep/refine-round.ts';

export interface Simulated {
  observations: RoundObservation[];
  // Cells added per round, round 0 being the grid.
  cellsPerRound: number[];
  // The boundaries after the last round.
  final: RoundPlan['boundaries'];
}

export function simulateRefine(spec: RefinedSpec, metric: (params: CellParams) => number | null): Simulated {
  const observations: RoundObservation[] = expandCells(spec).map((c) => ({
    params: c.params,
    round: 0,
    metric: metric(c.params),
  }));
  const cellsPerRound = [observations.length];
  for (let round = 1; ; round++) {
    const plan = planRound(spec, observations, round <= spec.refine.max_rounds);
    if (plan.cells.length === 0) return { observations, cellsPerRound, final: plan.boundaries };
    for (const c of plan.cells) observations.push({ params: c.params, round, metric: metric(c.params) });
    cellsPerRound.push(plan.cells.length);
  }
}
