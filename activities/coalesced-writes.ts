// Results written in groups, as the built-in methods' batches are: a Postgres statement (with its
// tally trigger) costs far more than a row, so cells that finish fast share one write. A finished cell
// waits at most `lingerMs` for others to join it (longer only while the previous write is in flight),
// so cells that finish slowly are still stored one by one as they finish, and a worker killed meanwhile
// loses at most that much work, which its batch's retry trains again. Once nothing more is coming soon
// (`flush`), what is queued is written at once.
export interface CoalescedWrites<T> {
  /** resolves once the item is written; rejects with its group's write */
  store(item: T): Promise<void>;
  /** no more items are coming soon: write without waiting from now on */
  flush(): void;
}

export function coalescedWrites<T>(
  write: (items: T[]) => Promise<void>,
  lingerMs: number,
): CoalescedWrites<T> {
  let queued: { item: T; written: () => void; failed: (err: unknown) => void }[] = [];
  let oldest = 0;
  let writing = false;
  let eager = lingerMs <= 0;
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (writing || timer !== undefined || queued.length === 0) return;
    const wait = eager ? 0 : oldest + lingerMs - Date.now();
    if (wait <= 0) void drain();
    else
      timer = setTimeout(() => {
        timer = undefined;
        void drain();
      }, wait);
  };
  const drain = async () => {
    writing = true;
    const group = queued;
    queued = [];
    try {
      await write(group.map((q) => q.item));
      for (const q of group) q.written();
    } catch (err) {
      for (const q of group) q.failed(err);
    } finally {
      writing = false;
      schedule();
    }
  };

  return {
    store(item) {
      const written = new Promise<void>((resolve, reject) =>
        queued.push({ item, written: resolve, failed: reject }),
      );
      if (queued.length === 1) oldest = Date.now();
      schedule();
      return written;
    },
    flush() {
      eager = true;
      clearTimeout(timer);
      timer = undefined;
      schedule();
    },
  };
}
