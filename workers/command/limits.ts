import type { StopReason } from '../../trainer/index.ts';

export interface Limits {
  timeoutMs: number;
  stallTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface LimitWatch {
  /** an event came: the stall clock starts again */
  touch(): void;
  clear(): void;
  /** resolves with the first limit passed (never, if none is) */
  readonly passed: Promise<StopReason>;
}

// The three ways phasesweep stops a cell: its timeout, a gap between events longer than stall_timeout,
// and cancellation (the sweep cancelled, the activity's heartbeat lost, the worker shutting down).
export function watchLimits(limits: Limits): LimitWatch {
  let stop!: (reason: StopReason) => void;
  const passed = new Promise<StopReason>((resolve) => (stop = resolve));
  const timeout = setTimeout(() => stop('timeout'), limits.timeoutMs);
  let stall: NodeJS.Timeout | undefined;
  const touch = () => {
    if (limits.stallTimeoutMs === undefined) return;
    clearTimeout(stall);
    stall = setTimeout(() => stop('stall'), limits.stallTimeoutMs);
  };
  const onAbort = () => stop(limits.signal?.reason === 'shutdown' ? 'shutdown' : 'cancel');
  if (limits.signal?.aborted) onAbort();
  limits.signal?.addEventListener('abort', onAbort, { once: true });
  touch();
  return {
    touch,
    passed,
    clear() {
      clearTimeout(timeout);
      clearTimeout(stall);
      limits.signal?.removeEventListener('abort', onAbort);
    },
  };
}
