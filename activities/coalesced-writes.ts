// Writes that arrive while one is in flight go together in the next: cells that finish slowly are
// stored one by one as they finish (a crash loses none of them), cells that finish fast share a round
// trip to Postgres, as the built-in methods' batches do.
export function coalescedWrites<T>(write: (items: T[]) => Promise<void>): (item: T) => Promise<void> {
  let queued: { item: T; written: () => void; failed: (err: unknown) => void }[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (queued.length > 0) {
      const group = queued;
      queued = [];
      try {
        await write(group.map((q) => q.item));
        for (const q of group) q.written();
      } catch (err) {
        for (const q of group) q.failed(err);
      }
    }
    writing = false;
  };
  return (item) => {
    const written = new Promise<void>((resolve, reject) =>
      queued.push({ item, written: resolve, failed: reject }),
    );
    if (!writing) void drain();
    return written;
  };
}
