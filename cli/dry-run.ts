import { specTimings, type TimingBasis } from '../store/cell-timings.ts';
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
  // Whose stored timings the estimate is from (store/cell-timings.ts); null when none were found.
  estimated_from: TimingBasis | null;
  // A program's: its code hash and argv, which the estimate's basis names.
  program?: { code_hash: string; argv: string[] };
}

// Validates the spec and expands its grid as a worker would, then reads the store alone (no Temporal):
// nothing is started or written.
export async function dryRun(specPath: string): Promise<DryRunReport> {
  const spec = await withProgramHash(await loadSpecFile(specPath), specPath);
  const cells = expandCells(spec);
  const { estimate, basis } = await withStore(async (pool) => {
    const stored = await existingResultKeys(
      pool,
      cells.map((c) => c.key),
    );
    const { basis, timings } = await specTimings(pool, spec);
    return { estimate: estimateDryRun(cells, stored, timings), basis };
  });
  const program = spec.command?.code_hash
    ? { program: { code_hash: spec.command.code_hash, argv: [...spec.command.argv] } }
    : {};
  return {
    spec: specPath,
    name: spec.name,
    refine: spec.refine !== undefined,
    ...estimate,
    estimated_from: estimate.cpu_s === null ? null : basis,
    ...program,
  };
}

// A built-in cell's stored time is its share of one training thread; a program's is its run time in
// one worker slot (what it does with CPUs or GPUs there is its own), so it is not called CPU time.
function cpuTime(seconds: number, unit: 'CPU ' | 'slot '): string {
  if (seconds < 120) return `${seconds.toFixed(1)} ${unit}s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} ${unit}min`;
  return `${(seconds / 3600).toFixed(1)} ${unit}h`;
}

// Where the estimate's timings come from, in words.
function basisText(r: DryRunReport): string {
  const hash = r.program ? r.program.code_hash.slice(0, 12) : '';
  switch (r.estimated_from) {
    case 'code_hash':
      return `from the stored wall times of this version of the program (code hash ${hash})`;
    case 'argv':
      return `from the stored wall times of earlier versions of the program run as \`${r.program?.argv.join(' ')}\` (none of code hash ${hash} yet)`;
    default:
      return 'from stored timings of cells of the same method and shape';
  }
}

function noEstimate(r: DryRunReport): string {
  return r.program
    ? `estimate  none: no stored results of this program's code (hash ${r.program.code_hash.slice(0, 12)}) or of \`${r.program.argv.join(' ')}\` yet`
    : 'estimate  none: no stored timings of cells of the same method and shape yet';
}

export function describeDryRun(r: DryRunReport): string {
  const lines = [
    `${r.spec}: valid, sweep ${r.name}`,
    `cells     ${r.cells} (${r.cached} already stored: cache hits; ${r.to_train} to train)`,
  ];
  if (r.to_train === 0) lines.push('estimate  nothing to train');
  else if (r.cpu_s === null) lines.push(noEstimate(r));
  else {
    const missing =
      r.shapes_without_timing > 0
        ? `; ${r.to_train - r.estimated_cells} cells of ${r.shapes_without_timing} other shape(s) have no stored timings and are not in it`
        : '';
    lines.push(
      `estimate  ${cpuTime(r.cpu_s, r.program ? 'slot ' : 'CPU ')} for ${r.estimated_cells} cells, ${basisText(r)}${missing}`,
    );
  }
  if (r.refine) lines.push('refine    its rounds add cells near the boundary later: not counted here');
  lines.push('nothing was started (--dry-run)');
  return lines.join('\n');
}
