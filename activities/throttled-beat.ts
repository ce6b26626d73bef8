// Heartbeats handed to Temporal at most once per `everyMs`, the latest details each time. A command
// batch reports every cell's end and progress, and each heartbeat costs the worker's main thread a
// payload encoding and a call into Temporal's core (which sends them on to the server less often
// still): at hundreds of cells a second that was a third of the thread's work. The first beat goes at
// once, later ones within `everyMs` of the last sent become one trailing beat, and `flush` sends
// whatever is held (before the batch ends, so that its retry sees the last checkpoints).
export interface ThrottledBeat<D> {
  beat(details: D): void;
  flush(): void;
}

export function throttledBeat<D>(send: (details: D) => void, everyMs: number): ThrottledBeat<D> {
  let sentAt = -Infinity;
  let held: { details: D } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const sendNow = (details: D) => {
    clearTimeout(timer);
    timer = undefined;
    held = undefined;
    sentAt = Date.now();
    send(details);
  };
  return {
    beat(details) {
      const wait = sentAt + everyMs - Date.now();
      if (wait <= 0) return sendNow(details);
      held = { details };
      timer ??= setTimeout(() => held && sendNow(held.details), wait);
    },
    flush() {
      if (held) sendNow(held.details);
    },
  };
}
