// Ids are plain string functions so that the CLI, schedules and the workflow agree on them.

const MAX_SLUG = 48;

export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '');
  return s || 'sweep';
}

// Same name and spec hash -> same workflow id: a second `run` while the first is going attaches to it.
export function sweepWorkflowId(name: string, specHash: string): string {
  return `sweep-${slug(name)}-${specHash.slice(0, 16)}`;
}

// A new sweep id per run: sortable by time, unique by the random suffix.
export function newSweepId(name: string, now: Date, randomHex: string): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${slug(name)}-${stamp}-${randomHex}`;
}

// Scheduled starts carry a fixed input without a sweep id: the first run of the chain names the sweep.
export function derivedSweepId(name: string, firstExecutionRunId: string): string {
  return `${slug(name)}-${firstExecutionRunId}`;
}
