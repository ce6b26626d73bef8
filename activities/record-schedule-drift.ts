import { recordScheduleDrift } from '../store/drift.ts';
import type { ActivityDeps } from './deps.ts';

export function makeRecordScheduleDrift({ pool }: ActivityDeps) {
  return async function recordScheduleDriftActivity(input: {
    sweepId: string;
  }): Promise<{ baseline_sweep_id: string; compared: number; moved: number } | null> {
    return recordScheduleDrift(pool, input.sweepId);
  };
}
