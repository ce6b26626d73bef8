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
  private readonly cpuSlots: number;
  private readonly freeCpu: number[];
  private readonly freeGpus: string[];
  // In the order the cells asked: a release serves them first come, first served, each that fits.
  private waiting: { gpusPerCell: number; take: (slot: Slot) => void }[] = [];

  constructor(
    cpuSlots: number,
    private readonly gpus: readonly string[] = [],
  ) {
    this.cpuSlots = Math.max(1, cpuSlots);
    this.freeCpu = Array.from({ length: this.cpuSlots }, (_, i) => i);
    this.freeGpus = [...gpus];
  }

  /** How many cells run at once (with GPUs, at one GPU per cell). */
  get size(): number {
    return this.gpus.length > 0 ? this.gpus.length : this.cpuSlots;
  }

  async acquire(gpusPerCell = 1): Promise<Slot> {
    if (this.gpus.length > 0 && gpusPerCell > this.gpus.length)
      throw new SlotsError(
        `a cell needs ${gpusPerCell} GPUs (resources.gpus), this worker has ${this.gpus.length}`,
      );
    return this.take(gpusPerCell) ?? new Promise<Slot>((take) => this.waiting.push({ gpusPerCell, take }));
  }

  release(slot: Slot): void {
    if (slot.gpus) this.freeGpus.push(...slot.gpus);
    else this.freeCpu.push(Number(slot.id));
    // Only the cells that fit now are woken, not all that wait (a batch's hundreds of cells would each
    // look again at every release). A cell that needs two GPUs may fit where one ahead of it that
    // needs four does not.
    for (let i = 0; i < this.waiting.length && this.free > 0;) {
      const slot = this.take(this.waiting[i].gpusPerCell);
      if (slot) this.waiting.splice(i, 1)[0].take(slot);
      else i++;
    }
  }

  private get free(): number {
    return this.gpus.length > 0 ? this.freeGpus.length : this.freeCpu.length;
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
