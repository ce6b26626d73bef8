import { shapeTimings } from '../store/cell-timings.ts';
import { existingResultKeys } from '../store/results.ts';
import { expandCells } from '../sweep/cells.ts';
import { estimateDryRun, type DryRunEstimate } from '../sweep/cpu-estimate.ts';
import { loadSpecFile } from '../infra/spec-file.ts';
import { withProgramHash } from './command-program.ts';
import { withStore } from './store-session.ts';

export interface DryRunReport extends DryRunEstimate {
  spec: string;
  name: string;
  // With `refine:`, later rounds add cells that depend on the results: not counted here.
  refine: boolean;
}

// Validates the spec and expands its grid as a worker would, then reads the store alone (no Temporal):
// nothing is started or written.
export async function dryRun(specPath: string): Promise<DryRunReport> {
  const spec = await withProgramHash(await loadSpecFile(specPath), specPath);
  const cells = expandCells(spec);
  const estimate = await withStore(async (pool) =>
    estimateDryRun(
      cells,
      await existingResultKeys(
        pool,
        cells.map((c) => c.key),
      ),
      await shapeTimings(pool, spec.method),
    ),
  );
  return { spec: specPath, name: spec.name, refine: spec.refine !== undefined, ...estimate };
}

function cpuTime(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} CPU s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} CPU min`;
  return `${(seconds / 3600).toFixed(1)} CPU h`;
}

export function describeDryRun(r: DryRunReport): string {
  const lines = [
    `${r.spec}: valid, sweep ${r.name}`,
    `cells     ${r.cells} (${r.cached} already stored: cache hits; ${r.to_train} to train)`,
  ];
  if (r.to_train === 0) lines.push('estimate  nothing to train');
  else if (r.cpu_s === null)
    lines.push('estimate  none: no stored timings of cells of the same method and shape yet');
  else {
    const missing =
      r.shapes_without_timing > 0
        ? `; ${r.to_train - r.estimated_cells} cells of ${r.shapes_without_timing} other shape(s) have no stored timings and are not in it`
        : '';
    lines.push(
      `estimate  ${cpuTime(r.cpu_s)} for ${r.estimated_cells} cells, from stored timings of cells of the same method and shape${missing}`,
    );
  }
  if (r.refine) lines.push('refine    its rounds add cells near the boundary later: not counted here');
  lines.push('nothing was started (--dry-run)');
  return lines.join('\n');
}
