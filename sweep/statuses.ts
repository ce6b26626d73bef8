// Every status a sweep row can have; the latest migration that sets the sweeps table's CHECK lists the
// same (tested). queued: `run` stored it and no worker has registered its cells yet; pending: a worker
// is registering them.
export const SWEEP_STATUSES = [
  'queued',
  'pending',
  'running',
  'completed',
  'completed_with_failures',
  'cancelled',
  'failed',
] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

// Finished with every cell handled: a result or a recorded failure for each.
export const SETTLED_STATUSES = ['completed', 'completed_with_failures'] as const;
export const FINISHED_STATUSES = [...SETTLED_STATUSES, 'cancelled', 'failed'] as const;
export type FinishedStatus = (typeof FINISHED_STATUSES)[number];
// How a workflow run ends, before the store's counts tell a completion with failures apart.
export type EndStatus = Exclude<FinishedStatus, 'completed_with_failures'>;

// What the workflow's progress query reports: registering its cells comes before running. Before any
// worker answers, a watcher reports the stored 'queued'.
export const PROGRESS_STATUSES = ['queued', 'registering', 'running', ...FINISHED_STATUSES] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export const isSettled = (status: string | undefined): boolean =>
  (SETTLED_STATUSES as readonly string[]).includes(status ?? '');
export const isFinished = (status: string | undefined): boolean =>
  (FINISHED_STATUSES as readonly string[]).includes(status ?? '');
