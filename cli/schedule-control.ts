// The schedule subcommands that change a schedule and say so in one line: pause, unpause, backfill,
// delete.
import { ScheduleOverlapPolicy, type ScheduleHandle } from '@temporalio/client';
import { BadInputError } from './exit.ts';
import { existingSchedule, withTemporal, type BackfillOverlap } from './schedule-session.ts';

async function onSchedule(name: string, verb: string, act: (h: ScheduleHandle) => Promise<void>) {
  await withTemporal(async (client) => act(await existingSchedule(client, name)));
  console.log(`schedule ${name}: ${verb}`);
}

export const pauseSchedule = (name: string, note?: string) =>
  onSchedule(name, 'paused', (h) => h.pause(note));

export const unpauseSchedule = (name: string, note?: string) =>
  onSchedule(name, 'unpaused', (h) => h.unpause(note));

export const deleteSchedule = (name: string) => onSchedule(name, 'deleted', (h) => h.delete());

function checkDate(option: string, value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new BadInputError(`${option} '${value}': expected an ISO date or time, e.g. 2026-11-20T02:00:00Z`);
  return d;
}

const OVERLAP_POLICIES: Record<BackfillOverlap, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
  'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
};

export interface BackfillOptions {
  from: string;
  to: string;
  overlap: BackfillOverlap;
}

export async function backfillSchedule(name: string, opts: BackfillOptions): Promise<void> {
  const start = checkDate('--from', opts.from);
  const end = checkDate('--to', opts.to);
  if (end <= start) throw new BadInputError(`--to ${opts.to} must be after --from ${opts.from}`);
  await onSchedule(name, 'backfill requested', (h) =>
    h.backfill({ start, end, overlap: OVERLAP_POLICIES[opts.overlap] }),
  );
}
