import type pg from 'pg';
import type { BoundaryRecord } from '../store/boundaries.ts';
import type { DriftRecord } from '../store/drift.ts';
import { sweepResultPages } from '../store/results.ts';
import type { SweepRow } from '../store/sweeps.ts';
import { commandAxes } from '../sweep/command-sweep.ts';
import type { SweepSpec } from '../sweep/spec.ts';
import { boundariesJson, renderBoundaries } from './views/boundaries.ts';
import { renderCommandResults, SHOWN_CELLS } from './views/command-results.ts';
import { renderSweepSummary } from './views/sweep-summary.ts';

// `show` of a method: command sweep: the summary, then every cell (up to SHOWN_CELLS in text) with its
// parameters, metrics by name and code hash, from the rows `results` and `export` print; then its
// boundaries (`refine:` on one of the program's metrics) and a scheduled run's drift, as for any sweep.
export async function showCommandSweep(
  pool: pg.Pool,
  sweep: SweepRow,
  json: boolean,
  stored: { boundaries: BoundaryRecord[]; drift?: { json: DriftRecord; lines: string[] } },
): Promise<void> {
  const spec = sweep.spec as SweepSpec;
  const rows: Record<string, unknown>[] = [];
  let total = 0;
  for await (const page of sweepResultPages(pool, sweep.id)) {
    total += page.length;
    if (json) rows.push(...page);
    else rows.push(...page.slice(0, Math.max(0, SHOWN_CELLS - rows.length)));
  }
  if (json) {
    const { boundaries, drift } = stored;
    console.log(
      JSON.stringify(
        { sweep, cells: rows, drift: drift?.json ?? null, boundaries: boundariesJson(boundaries) },
        null,
        2,
      ),
    );
    return;
  }
  const params = [...commandAxes(spec).filter((name) => name !== 'seed'), 'seed'];
  console.log(renderSweepSummary(sweep));
  console.log(`program   ${spec.command!.argv.join(' ')}   (in ${spec.command!.cwd})`);
  console.log('');
  console.log(renderCommandResults(rows, params, spec.command!.metrics, total));
  if (stored.boundaries.length > 0) console.log(`\n${renderBoundaries(stored.boundaries, [])}`);
  if (stored.drift) console.log(`\n${stored.drift.lines.join('\n')}`);
}
