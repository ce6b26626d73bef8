import { largestScheduleSeed } from '../store/drift.ts';
import type { ActivityDeps } from './deps.ts';

// For `schedule create --fresh-seeds`: the first seed tonight's run trains, one past the largest any
// earlier run of the schedule planned; null before the first run (which trains the spec's seeds). An
// activity, so that the workflow reads the store through its history and replays the same seeds.
export function makeFreshSeedStart({ pool }: ActivityDeps) {
  return async function freshSeedStart(input: { scheduleId: string }): Promise<number | null> {
    const largest = await largestScheduleSeed(pool, input.scheduleId);
    return largest === null ? null : largest + 1;
  };
}
