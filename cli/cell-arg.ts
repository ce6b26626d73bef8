import type pg from 'pg';
import { cellsByPrefix, type SweepCellRef } from '../store/cell-keys.ts';
import { BadInputError } from './exit.ts';

// A cell named on the command line (`logs`, `curves`): its key, or a start of it that only one cell of
// the sweep has. Anything else is bad input, in one line saying where the keys are listed.
export async function resolveCell(pool: pg.Pool, sweepId: string, arg: string): Promise<SweepCellRef> {
  const prefix = arg.trim().toLowerCase();
  const found = prefix === '' ? [] : await cellsByPrefix(pool, sweepId, prefix);
  if (found.length === 0)
    throw new BadInputError(
      `unknown cell '${arg}' in sweep ${sweepId}: give a cell key or its start (\`phasesweep results ${sweepId}\` lists them)`,
    );
  if (found.length > 1)
    throw new BadInputError(
      `cell '${arg}' is ambiguous in sweep ${sweepId}: ${found.map((c) => c.cell_key.slice(0, 16)).join(', ')}, ...; give more of the key`,
    );
  return found[0];
}
