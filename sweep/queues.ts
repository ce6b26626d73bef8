// Task queues, without zod or Temporal: specs, the CLI's help, workers and clients all name them here.

// One training queue per resource class: a spec's `resources.queue` routes its trainBatch activities.
export const TRAIN_QUEUES = ['train-cpu', 'train-gpu'] as const;
export type TrainQueue = (typeof TRAIN_QUEUES)[number];

// Sweep workflows and their bookkeeping activities (register, plan, finish) run here; every worker
// process polls it, whatever its training queue, so a sweep never waits for a particular host.
export const CONTROL_QUEUE = 'phasesweep-sweeps';
