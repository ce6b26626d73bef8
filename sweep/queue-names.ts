// The training queues alone, without zod: the CLI offers them as choices in its help.
export const QUEUES = ['train-cpu', 'train-gpu'] as const;
