import { pendingCells } from '../store/cells.ts';
import { recordFailure } from '../store/results.ts';
import type { RecordBatchFailureInput } from './contract.ts';
import type { ActivityDeps } from './deps.ts';

// A batch whose retries ran out as a whole (its worker died on every attempt, a timeout): each of its
// cells still without a result gets a failure record, so none is silently missing.
export function makeRecordBatchFailure({ pool }: ActivityDeps) {
  return async function recordBatchFailure(input: RecordBatchFailureInput): Promise<{ failed: number }> {
    const span = input.toOrdinal - input.fromOrdinal + 1;
    const cells = await pendingCells(pool, input.sweepId, input.fromOrdinal - 1, span, input.toOrdinal);
    for (const cell of cells) {
      await recordFailure(pool, {
        sweep_id: input.sweepId,
        cell_key: cell.key,
        attempt: input.attempts,
        error: `batch ${input.fromOrdinal}..${input.toOrdinal} failed: ${input.error}`,
      });
    }
    return { failed: cells.length };
  };
}
