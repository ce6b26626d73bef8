// The worker's slots for command cells: one cell per slot at a time. Without GPUs a slot is one of
// `cpuSlots` places; with GPUs it is the `perCell` GPUs a cell gets, taken from the free ones (so
// concurrent cells never share a GPU, whatever each sweep's resources.gpus), handed back only once the
// cell's process group is empty.
export interface Slot {
  /** names the slot: its index, or its GPUs' UUIDs (persistent programs are kept per slot) */
  id: string;
  gpus?: string[];
}

export class SlotsError extends Error {
  readonly badInput = true;
}

export class CommandSlots {
  private readonly freeCpu: number[];
  private readonly freeGpus: string[];
  private waiting: (() => void)[] = [];

  constructor(
    cpuSlots: number,
    private readonly gpus: readonly string[] = [],
  ) {
    this.freeCpu = Array.from({ length: Math.max(1, cpuSlots) }, (_, i) => i);
    this.freeGpus = [...gpus];
  }

  /** How many cells run at once (with GPUs, at one GPU per cell). */
  get size(): number {
    return this.gpus.length > 0 ? this.gpus.length : this.freeCpu.length;
  }

  async acquire(gpusPerCell = 1): Promise<Slot> {
    if (this.gpus.length > 0 && gpusPerCell > this.gpus.length)
      throw new SlotsError(
        `a cell needs ${gpusPerCell} GPUs (resources.gpus), this worker has ${this.gpus.length}`,
      );
    for (;;) {
      const slot = this.take(gpusPerCell);
      if (slot) return slot;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  release(slot: Slot): void {
    if (slot.gpus) this.freeGpus.push(...slot.gpus);
    else this.freeCpu.push(Number(slot.id));
    // Everyone waiting looks again: a cell that needs two GPUs may fit now where one that needs four
    // does not.
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  private take(gpusPerCell: number): Slot | undefined {
    if (this.gpus.length > 0) {
      if (this.freeGpus.length < gpusPerCell) return undefined;
      // In the host's order, so that a cell's GPUs are neighbours where they can be.
      this.freeGpus.sort((a, b) => this.gpus.indexOf(a) - this.gpus.indexOf(b));
      const gpus = this.freeGpus.splice(0, gpusPerCell);
      return { id: gpus.join(','), gpus };
    }
    const index = this.freeCpu.shift();
    return index === undefined ? undefined : { id: String(index) };
  }
}
