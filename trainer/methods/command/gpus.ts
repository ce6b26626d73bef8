// GPU slots for `phasesweep worker --gpus all|N|UUID,...`. GPUs are named by UUID, never by index:
// indices change with CUDA_DEVICE_ORDER and with what else the host runs.

export type GpuChoice =
  { kind: 'all' } | { kind: 'count'; count: number } | { kind: 'uuids'; uuids: string[] };

export class GpuChoiceError extends Error {
  readonly badInput = true;
}

const UUID = /^(GPU|MIG)-[0-9A-Za-z-]+$/;

export function parseGpuChoice(text: string, what = '--gpus'): GpuChoice {
  const value = text.trim();
  if (value === 'all') return { kind: 'all' };
  if (/^\d+$/.test(value)) {
    const count = Number(value);
    if (count < 1) throw new GpuChoiceError(`${what}: expected at least 1 GPU, got ${value}`);
    return { kind: 'count', count };
  }
  const uuids = value.split(',').map((part) => part.trim());
  const bad = uuids.find((uuid) => !UUID.test(uuid));
  if (bad !== undefined)
    throw new GpuChoiceError(
      `${what}: expected all, a count or GPU UUIDs such as GPU-5c8c0e3a-...; ${JSON.stringify(bad)} is none`,
    );
  if (new Set(uuids).size !== uuids.length) throw new GpuChoiceError(`${what}: a GPU is listed twice`);
  return { kind: 'uuids', uuids };
}

// The UUIDs in `nvidia-smi -L` output: "GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-5c8c0e3a-...)".
export function parseNvidiaSmiList(output: string): string[] {
  return [...output.matchAll(/\(UUID: ((?:GPU|MIG)-[0-9A-Za-z-]+)\)/g)].map((match) => match[1]);
}

export function chooseGpus(choice: GpuChoice, found: readonly string[], what = '--gpus'): string[] {
  if (choice.kind === 'all') return [...found];
  if (choice.kind === 'count') {
    if (choice.count > found.length)
      throw new GpuChoiceError(`${what}: asked for ${choice.count} GPUs, this host has ${found.length}`);
    return found.slice(0, choice.count);
  }
  const unknown = choice.uuids.find((uuid) => !found.includes(uuid));
  if (unknown !== undefined)
    throw new GpuChoiceError(`${what}: ${unknown} is not a GPU of this host (found: ${found.join(', ')})`);
  return [...choice.uuids];
}

// Cuts the worker's GPUs into slots of `perCell` each, one cell per slot at a time, so concurrent cells
// never share a GPU. A slot is handed back only once its cell's process group is empty.
export class GpuSlots {
  private readonly free: string[][];
  private readonly waiting: ((slot: string[]) => void)[] = [];

  constructor(gpus: readonly string[], perCell: number) {
    if (!Number.isInteger(perCell) || perCell < 1) throw new GpuChoiceError('gpus per cell: expected >= 1');
    if (perCell > gpus.length)
      throw new GpuChoiceError(`a cell needs ${perCell} GPUs, this worker has ${gpus.length}`);
    this.free = [];
    for (let i = 0; i + perCell <= gpus.length; i += perCell) this.free.push(gpus.slice(i, i + perCell));
    this.size = this.free.length;
  }

  readonly size: number;

  acquire(): Promise<string[]> {
    const slot = this.free.shift();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(slot: string[]): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }
}
