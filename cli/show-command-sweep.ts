import type pg from 'pg';
import { sweepResultPages } from '../store/results.ts';
import type { SweepRow } from '../store/sweeps.ts';
import { commandAxes } from '../sweep/command-sweep.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import { renderCommandResults, SHOWN_CELLS } from './views/command-results.ts';
import { renderSweepSummary } from './views/sweep-summary.ts';

// `show` of a method: command sweep: the summary, then every cell (up to SHOWN_CELLS in text) with its
// parameters, metrics by name and code hash, from the rows `results` and `export` print.
export async function showCommandSweep(pool: pg.Pool, sweep: SweepRow, json: boolean): Promise<void> {
  const spec = sweep.spec as SweepSpec;
  const rows: Record<string, unknown>[] = [];
  let total = 0;
  for await (const page of sweepResultPages(pool, sweep.id)) {
    total += page.length;
    if (json) rows.push(...page);
    else rows.push(...page.slice(0, Math.max(0, SHOWN_CELLS - rows.length)));
  }
  if (json) {
    console.log(JSON.stringify({ sweep, cells: rows }, null, 2));
    return;
  }
  const params = [...commandAxes(spec).filter((name) => name !== 'seed'), 'seed'];
  console.log(renderSweepSummary(sweep));
  console.log(`program   ${spec.command!.argv.join(' ')}   (in ${spec.command!.cwd})`);
  console.log('');
  console.log(renderCommandResults(rows, params, spec.command!.metrics, total));
}
