import type { SweepRow } from '../../store/sweeps.ts';
import type { SweepSpec } from '../../sweep/spec.ts';
import { cellsText } from './sweep-standing.ts';
import { fmtTime } from './table.ts';

// A user's program (method: command): what runs, and from where (relative to the spec file).
function programLine(spec: SweepSpec): string[] {
  const program = spec.command;
  return program ? [`program   ${program.argv.join(' ')}   (in ${program.cwd ?? '.'})`] : [];
}

export function renderSweepSummary(s: SweepRow): string {
  const tags = Object.entries(s.tags ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return [
    `sweep     ${s.id}  (${s.name})`,
    `status    ${s.status}   cells: ${cellsText(s).summary}`,
    ...(s.status === 'queued'
      ? ['          `phasesweep worker` trains it, `phasesweep cancel` drops it']
      : []),
    `times     created ${fmtTime(s.created_at)}, started ${fmtTime(s.started_at)}, finished ${fmtTime(s.finished_at)}`,
    `trainer   ${s.trainer_version}   spec ${s.spec_hash.slice(0, 12)}` +
      (s.workflow_id ? `   workflow ${s.workflow_id}` : ''),
    ...programLine(s.spec as SweepSpec),
    ...(s.schedule_id ? [`schedule  ${s.schedule_id}`] : []),
    ...(tags ? [`tags      ${tags}`] : []),
  ].join('\n');
}

/** Colour only for a terminal, and never when NO_COLOR is set (no-color.org). */
export function useColor(flag: boolean | undefined): boolean {
  return flag !== false && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}
