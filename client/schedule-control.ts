// The schedule operations that change a schedule: pause, unpause, backfill, delete.
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { existingSchedule, type BackfillOverlap } from './schedule-session.ts';

const OVERLAP_POLICIES: Record<BackfillOverlap, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
  'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
};

export interface Backfill {
  start: Date;
  end: Date;
  overlap: BackfillOverlap;
}

export type ScheduleChange =
  { kind: 'pause' | 'unpause'; note?: string } | { kind: 'delete' } | ({ kind: 'backfill' } & Backfill);

export async function changeSchedule(client: Client, name: string, change: ScheduleChange): Promise<void> {
  const handle = await existingSchedule(client, name);
  switch (change.kind) {
    case 'pause':
      return handle.pause(change.note);
    case 'unpause':
      return handle.unpause(change.note);
    case 'delete':
      return handle.delete();
    case 'backfill':
      return handle.backfill({
        start: change.start,
        end: change.end,
        overlap: OVERLAP_POLICIES[change.overlap],
      });
  }
}
