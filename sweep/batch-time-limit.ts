// How long one attempt of a training batch may run (its start-to-close timeout) before Temporal
// retries it as a whole. It is a backstop only: a command cell's own `timeout` and `stall_timeout`
// stop a program, and the heartbeat timeout notices a lost worker. So it must never cut legitimate work.
// - The built-in methods: 24 hours, as always.
// - `method: command`: the worst case of the batch's cells one after another, each its whole `timeout`
//   and `grace`, plus an hour for start-up and storing, and never less than 24 hours. Cells run one
//   after another at worst because a worker runs one batch per slot (per GPU with --gpus): a batch
//   then waits for its slot-mates' cells, and with `resources.gpus: g` each cell takes g of those
//   slots. A worker started with more --concurrency than that can exceed it.
// Workflow code calls this: it must stay pure and depend on nothing but its arguments.
export const BATCH_TIME_LIMIT_FLOOR_MS = 24 * 3_600_000;
export const BATCH_TIME_LIMIT_MARGIN_MS = 3_600_000;

/** The parts of a parsed spec the limit reads (durations in ms). */
export interface BatchWork {
  command?: { timeout: number; grace: number };
  resources: { gpus?: number };
}

export function batchTimeLimitMs(spec: BatchWork, cells: number): number {
  const { command } = spec;
  if (command === undefined) return BATCH_TIME_LIMIT_FLOOR_MS;
  const sequential = cells * (spec.resources.gpus ?? 1);
  const work = sequential * (command.timeout + command.grace) + BATCH_TIME_LIMIT_MARGIN_MS;
  return Math.max(BATCH_TIME_LIMIT_FLOOR_MS, work);
}
