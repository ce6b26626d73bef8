import { ApplicationFailure } from '@temporalio/activity';
import { batchCells } from '../sweep/batches.ts';
import type { RefinedSpec } from '../sweep/refine-round.ts';
import { registerRefinedCells } from '../store/refine-cells.ts';
import { getSweep } from '../store/sweeps.ts';
import type { RefineRoundInput, RefineRoundOutcome } from './contract.ts';
import type { ActivityDeps } from './deps.ts';
import { storeBoundaries } from './store-boundaries.ts';

// Open brackets named in the outcome (and so in the workflow's progress): enough for a terminal line.
const MAX_BRACKETS_SHOWN = 20;

// Between rounds: reads every cell of the rounds before `round` with its metric, writes the boundaries
// they give (with their seed-bootstrap intervals and slopes), and (when `register`) adds the cells of
// `round`: inside every open bracket, beside settled crossings (refine.seeds) and on traced rows
// (refine.trace). Deterministic in what the earlier rounds stored, so a retry registers the same cells
// and nothing twice.
export function makeRefineRound({ pool }: ActivityDeps) {
  return async function refineRound(input: RefineRoundInput): Promise<RefineRoundOutcome> {
    const { sweepId, round } = input;
    const sweep = await getSweep(pool, sweepId);
    const spec = sweep?.spec as RefinedSpec | undefined;
    if (!spec?.refine) {
      throw ApplicationFailure.nonRetryable(`sweep ${sweepId} has no refine section`, 'BadSpec');
    }
    const plan = await storeBoundaries(pool, sweepId, spec, round, input.register);
    const ordered = batchCells(
      plan.cells.map((c, i) => ({ ...c, ordinal: i })),
      spec.resources.batch_size,
    ).flat();
    const registered =
      ordered.length === 0
        ? { added: 0, cached: 0 }
        : await registerRefinedCells(pool, sweepId, round, ordered);
    const open = plan.boundaries.flatMap((g) =>
      g.brackets.filter((b) => b.open).map((b) => ({ group: g.group, low: b.low, high: b.high })),
    );
    return {
      round,
      added: registered.added,
      cached: registered.cached,
      openBrackets: open.length,
      brackets: open.slice(0, MAX_BRACKETS_SHOWN),
    };
  };
}
