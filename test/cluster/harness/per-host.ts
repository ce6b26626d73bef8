// Which worker host trained which cells: results carry the worker id (`hostname:pid:queue`), and each
// worker prints its id when it starts.
import { queryRows, type WorkerProcess } from '../../helpers/sweeps.ts';

export function workerIdOf(worker: WorkerProcess): string {
  const id = /worker (\S+): queue/.exec(worker.output())?.[1];
  if (!id) throw new Error(`the worker printed no id:\n${worker.output()}`);
  return id;
}

// Results of the sweep's cells per worker id (a cell cached from an earlier sweep counts for the
// worker that trained it then).
export async function trainedByWorker(databaseUrl: string, sweepId: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ worker_id: string; n: number }>(
    databaseUrl,
    `SELECT r.worker_id, count(*)::int AS n
       FROM sweep_cells c JOIN results r ON r.cell_key = c.cell_key
      WHERE c.sweep_id = $1 GROUP BY r.worker_id`,
    [sweepId],
  );
  return new Map(rows.map((r) => [r.worker_id, r.n]));
}
