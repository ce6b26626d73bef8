import { methodOf, workOf, type CellParams } from '../trainer/index.ts';
import { canonicalJson } from './canonical-json.ts';
import type { Cell } from './cells.ts';

// The fields that fix the tensor shapes and the training loop of a cell (its method says which): cells
// that agree on all of them can be trained together as one batched program. The rest (snr, seed, sigma0,
// lr, p, ...) are per-cell scalars or data.
export type Shape = { method: CellParams['method'] } & Record<string, unknown>;

export function shapeOf(params: CellParams): Shape {
  return methodOf(params.method).shape(params) as Shape;
}

export function shapeKey(params: CellParams): string {
  return canonicalJson(shapeOf(params));
}

// Cells that are batched together: one group per value of the method's group coordinates.
export function groupKey(params: CellParams): string {
  return canonicalJson(methodOf(params.method).group(params));
}

// The smallest piece a batch is cut into: the cells the trainer trains from one computation (one
// pre-trained encoder for SimCLR, one data set otherwise). Cutting inside it would repeat that work.
export function unitKey(params: CellParams): string {
  return methodOf(params.method).unitKey(params);
}

// Groups cells (groupKey), puts the cells of one seed, and within it of one unit, next to each other
// inside a group (they share their data and the trainer generates it once), then cuts each group into
// batches of at most `batchSize`. The most expensive groups come first (ties in order of first
// appearance): batches are started in this order, and starting the long ones first keeps workers from
// finishing a sweep on one long batch while the others sit idle. Deterministic: the same cells give the
// same batches.
export function batchCells(cells: Cell[], batchSize: number): Cell[][] {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batch size must be a positive whole number, got ${batchSize}`);
  }
  const groups = new Map<string, Cell[]>();
  for (const cell of cells) {
    const key = groupKey(cell.params);
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
    const units = new Map(group.map((cell) => [cell, unitKey(cell.params)]));
    group.sort(
      (a, b) =>
        a.params.seed - b.params.seed ||
        compareStrings(units.get(a)!, units.get(b)!) ||
        a.ordinal - b.ordinal,
    );
    for (let i = 0; i < group.length; i += batchSize) batches.push(group.slice(i, i + batchSize));
  }
  return batches;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// A contiguous ordinal range of one cell shape; `cells` is how many of them were pending when planned.
export interface BatchRange {
  fromOrdinal: number;
  toOrdinal: number;
  cells: number;
}

interface Run extends BatchRange {
  group: string;
  work: number;
}

// Pending cells (in ordinal order, so in batchCells' order) as ordinal ranges of one group, at most
// batchSize cells each, cut only between units (unitKey) unless one unit alone exceeds batchSize. Units
// are joined while a range stays within 1/minBatches of the page's work: idle workers then share the
// work of a small sweep (or the tail of a large one) instead of one training thread carrying a whole
// group, and a dear group (SimCLR on the largest n_0, say) is spread over several threads.
export function cutBatches(
  cells: Pick<Cell, 'ordinal' | 'params'>[],
  batchSize: number,
  minBatches = 1,
): BatchRange[] {
  const runs = unitRuns(cells, batchSize);
  const budget = runs.reduce((sum, run) => sum + run.work, 0) / Math.max(1, minBatches);
  const batches: Run[] = [];
  for (const run of runs) {
    const last = batches.at(-1);
    if (
      last &&
      last.group === run.group &&
      last.cells + run.cells <= batchSize &&
      last.work + run.work <= budget
    ) {
      last.toOrdinal = run.toOrdinal;
      last.cells += run.cells;
      last.work += run.work;
    } else batches.push({ ...run });
  }
  return batches.map(({ fromOrdinal, toOrdinal, cells: count }) => ({
    fromOrdinal,
    toOrdinal,
    cells: count,
  }));
}

/** Runs of one unit, at most batchSize cells each. */
function unitRuns(cells: Pick<Cell, 'ordinal' | 'params'>[], batchSize: number): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  let currentUnit = '';
  for (const cell of cells) {
    const unit = unitKey(cell.params);
    if (!current || current.cells >= batchSize || unit !== currentUnit) {
      current = {
        fromOrdinal: cell.ordinal,
        toOrdinal: cell.ordinal,
        cells: 0,
        group: groupKey(cell.params),
        work: 0,
      };
      currentUnit = unit;
      runs.push(current);
    }
    current.toOrdinal = cell.ordinal;
    current.cells++;
    current.work += workOf(cell.params);
  }
  return runs;
}
