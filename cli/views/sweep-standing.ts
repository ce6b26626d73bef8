import { formatCounts } from '../../store/sweep-counts.ts';
import type { SweepRow } from '../../store/sweeps.ts';
import { isFinished } from '../../sweep/statuses.ts';

// Where a sweep stands, in the words `ls`, `show` and a wait that timed out (`watch`, `run`) all use.
// A queued sweep (`run` stored it, no worker has registered its cells) has no cells in the store, so
// its stored counts read 0/0; what is true instead is that none of its grid's cells is done yet, and
// that cache hits are counted only once a worker registers the cells. Its grid's cells are the number
// `run` stored with it (sweeps.grid_cells), which Grafana's Operations panels read too; "?" for a
// sweep queued before that column existed.

export const NOT_PICKED_UP = 'no worker has picked it up yet';

type Standing = Pick<SweepRow, 'status' | 'counts' | 'grid_cells'>;

export interface CellsText {
  /** `ls`'s DONE column: "3/8" */
  done: string;
  cached: string;
  failed: string;
  /** `show`'s cells: "3/8 done (1 cached, 0 failed)" */
  summary: string;
}

export function cellsText(s: Standing): CellsText {
  // A queued sweep cancelled (or failed) before any worker registered it keeps no cells either.
  if (isFinished(s.status) && s.counts.total === 0 && s.grid_cells) {
    return {
      done: `0/${s.grid_cells}`,
      cached: '-',
      failed: '-',
      summary: `0/${s.grid_cells} done: ${s.status} before a worker registered its ${s.grid_cells} grid cells`,
    };
  }
  if (s.status !== 'queued') {
    const { done, total, cached, failed } = s.counts;
    return {
      done: `${done}/${total}`,
      cached: String(cached),
      failed: String(failed),
      summary: formatCounts(s.counts),
    };
  }
  const grid = s.grid_cells ?? '?';
  return {
    done: `0/${grid}`,
    cached: '-',
    failed: '-',
    summary: `0/${grid} done: queued, ${NOT_PICKED_UP} (cache hits are counted when a worker registers its ${grid} grid cells)`,
  };
}

/**
 * What a wait that gave up found: "sweep X is still queued: no worker has picked it up yet (no worker
 * polls task queue phasesweep-sweeps)". `unpolled`: the sweep's task queues nobody polls right now.
 */
export function stillWaiting(sweepId: string, status: string, unpolled: readonly string[]): string {
  const queues =
    unpolled.length === 0
      ? ''
      : ` (no worker polls task queue${unpolled.length > 1 ? 's' : ''} ${unpolled.join(', ')})`;
  return status === 'queued'
    ? `sweep ${sweepId} is still queued: ${NOT_PICKED_UP}${queues}`
    : `sweep ${sweepId} is still running${queues}`;
}
