import { batchKey, workOf, type CellParams } from '../trainer/index.ts';
import { canonicalJson } from './canonical-json.ts';
import type { Cell } from './cells.ts';

// The fields that fix the tensor shapes and the training loop of a cell: cells that agree on all of
// them can be trained together as one batched tensor program. The rest (snr, seed, sigma0, lr, p, ...)
// are per-cell scalars or data.
export interface Shape {
  method: CellParams['method'];
  n_labels: number;
  d: number;
  m: number;
  q: number;
  steps: number;
  n_test: number;
  // SimCLR only: the pre-training set and loop.
  n_unlabeled?: number;
  pretrain_steps?: number;
}

export function shapeOf(params: CellParams): Shape {
  const shape: Shape = {
    method: params.method,
    n_labels: params.n_labels,
    d: params.d,
    m: params.m,
    q: params.q,
    steps: params.steps,
    n_test: params.n_test,
  };
  if (params.method === 'simclr') {
    shape.n_unlabeled = params.n_unlabeled;
    shape.pretrain_steps = params.pretrain_steps;
  }
  return shape;
}

export function shapeKey(params: CellParams): string {
  return canonicalJson(shapeOf(params));
}

// Groups cells by shape, puts cells of the same seed next to each other inside a group (n_labels is
// part of the shape, so they share their training data and the trainer generates it once), then cuts
// each group into batches of at most `batchSize`. The most expensive groups come first (ties in order
// of first appearance): batches are started in this order, and starting the long ones first keeps
// workers from finishing a sweep on one long batch while the others sit idle. Deterministic: the same
// cells give the same batches.
export function batchCells(cells: Cell[], batchSize: number): Cell[][] {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batch size must be a positive whole number, got ${batchSize}`);
  }
  const groups = new Map<string, Cell[]>();
  for (const cell of cells) {
    const key = shapeKey(cell.params);
    const group = groups.get(key);
    if (group) group.push(cell);
    else groups.set(key, [cell]);
  }
  const work = (group: Cell[]) => group.reduce((sum, cell) => sum + workOf(cell.params), 0);
  const ordered = [...groups.values()]
    .map((group) => ({ group, work: work(group) }))
    .sort((a, b) => b.work - a.work)
    .map(({ group }) => group);
  const batches: Cell[][] = [];
  for (const group of ordered) {
    group.sort((a, b) => a.params.seed - b.params.seed || a.ordinal - b.ordinal);
    for (let i = 0; i < group.length; i += batchSize) batches.push(group.slice(i, i + batchSize));
  }
  return batches;
}

// A contiguous ordinal range of one cell shape; `cells` is how many of them were pending when planned.
export interface BatchRange {
  fromOrdinal: number;
  toOrdinal: number;
  cells: number;
}

// Pending cells (in ordinal order, so in batchCells' order) as ordinal ranges of one shape, at most
// batchSize cells each. When that gives fewer than minBatches ranges (a small sweep, or the tail of a
// large one), ranges are also cut where the training data changes (the trainer's batchKey: a seed,
// say), so that idle workers share the work instead of one training thread carrying a whole shape.
export function cutBatches(
  cells: Pick<Cell, 'ordinal' | 'params'>[],
  batchSize: number,
  minBatches = 1,
): BatchRange[] {
  const coarse = cutWhere(cells, batchSize, shapeKey);
  if (coarse.length >= minBatches) return coarse;
  return cutWhere(cells, batchSize, (params) => `${shapeKey(params)}|${batchKey(params)}`);
}

function cutWhere(
  cells: Pick<Cell, 'ordinal' | 'params'>[],
  batchSize: number,
  groupOf: (params: CellParams) => string,
): BatchRange[] {
  const batches: BatchRange[] = [];
  let current: BatchRange | undefined;
  let currentGroup = '';
  for (const cell of cells) {
    const group = groupOf(cell.params);
    if (!current || current.cells >= batchSize || group !== currentGroup) {
      current = { fromOrdinal: cell.ordinal, toOrdinal: cell.ordinal, cells: 0 };
      currentGroup = group;
      batches.push(current);
    }
    current.toOrdinal = cell.ordinal;
    current.cells++;
  }
  return batches;
}
