import type pg from 'pg';
import { getSweep, type SweepRow } from '../store/sweeps.ts';
import { BadInputError } from './exit.ts';

// `results`, `verify` and `cancel` accept a sweep id or name (the most recent sweep of that name).
export async function findSweep(pool: pg.Pool, idOrName: string): Promise<SweepRow> {
  const sweep = await getSweep(pool, idOrName);
  if (!sweep) {
    throw new BadInputError(
      `unknown sweep '${idOrName}': no sweep has this id or name (sweep ids are printed by \`phasesweep run\`)`,
    );
  }
  return sweep;
}
