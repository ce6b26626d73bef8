import { workOf } from '../trainer/index.ts';
import { groupKey, unitKey } from './batches.ts';
import { cellKey, gridIndex, type Cell } from './cells.ts';
import type { SweepSpec } from './spec-schema.ts';

// Cells handled between two returns to the event loop while the grid is first read: a large grid takes
// seconds, and the worker that registers it must keep heartbeating and serving its other tasks.
const YIELD_EVERY = 10_000;

// The grid's cells in batchCells' order (sweep/batches.ts), ordinals counting along it, in chunks of at
// most `chunkSize`: the same cells in the same order as batchCells(expandCells(spec), size).flat(),
// without holding them. The grid is read twice. First each cell's group, seed and work (a dozen bytes
// per cell), which give the groups' order and, within a group, the order of seeds; then the cells of
// one (group, seed) at a time are built again, ordered by unit and grid position, and handed out.
// Memory grows with the cells of one group and seed, not with the grid.
export async function* cellsInBatchOrder(spec: SweepSpec, chunkSize: number): AsyncGenerator<Cell[]> {
  const grid = gridIndex(spec);
  const groupOf = new Uint32Array(grid.count);
  const seedOf = new Float64Array(grid.count);
  const groupIds = new Map<string, number>();
  const groupWork: number[] = [];
  const groupSize: number[] = [];
  for (let i = 0; i < grid.count; i++) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await nextTick();
    const params = grid.paramsAt(i);
    const key = groupKey(params);
    let g = groupIds.get(key);
    if (g === undefined) {
      g = groupWork.length;
      groupIds.set(key, g);
      groupWork.push(0);
      groupSize.push(0);
    }
    groupOf[i] = g;
    seedOf[i] = params.seed;
    groupWork[g] += workOf(params);
    groupSize[g]++;
  }
  groupIds.clear();

  // The dearest groups first, ties in order of first appearance (a stable sort of first-appearance ids).
  const groupOrder = groupWork.map((_, g) => g).sort((a, b) => groupWork[b] - groupWork[a]);
  const start = new Uint32Array(groupWork.length);
  let offset = 0;
  for (const g of groupOrder) {
    start[g] = offset;
    offset += groupSize[g];
  }
  // Grid positions grouped in that order; within a group, ascending, then by seed (stable).
  const order = new Uint32Array(grid.count);
  const fill = start.slice();
  for (let i = 0; i < grid.count; i++) order[fill[groupOf[i]]++] = i;

  let ordinal = 0;
  let chunk: Cell[] = [];
  for (const g of groupOrder) {
    const members = order.subarray(start[g], start[g] + groupSize[g]);
    members.sort((a, b) => seedOf[a] - seedOf[b] || a - b);
    for (let from = 0; from < members.length;) {
      let to = from + 1;
      while (to < members.length && seedOf[members[to]] === seedOf[members[from]]) to++;
      const sameSeed = Array.from(members.subarray(from, to), (i) => {
        const params = grid.paramsAt(i);
        return { i, params, unit: unitKey(params) };
      }).sort((a, b) => compareStrings(a.unit, b.unit) || a.i - b.i);
      for (const { params } of sameSeed) {
        chunk.push({ key: cellKey(params), ordinal: ordinal++, params });
        if (chunk.length === chunkSize) {
          yield chunk;
          chunk = [];
        }
      }
      from = to;
    }
  }
  if (chunk.length > 0) yield chunk;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
