import type { SweepProgress } from '../../workflows/types.ts';

// Where a refined sweep's bisection stands, for the progress line and bar: empty without refine:.
export function refineStatus(p: Pick<SweepProgress, 'refine'>): string {
  const r = p.refine;
  if (!r) return '';
  const round = r.round === 0 ? 'grid' : `round ${r.round}/${r.max_rounds}`;
  const open = `${r.open_brackets} bracket${r.open_brackets === 1 ? '' : 's'} open`;
  const shown = r.brackets
    .slice(0, 3)
    .map((b) => {
      const group = Object.entries(b.group)
        .filter(([k]) => k !== 'method')
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return `${group}${group ? ' ' : ''}[${Number(b.low.toPrecision(3))}, ${Number(b.high.toPrecision(3))}]`;
    })
    .join('; ');
  return `${round}, ${open}${shown ? ` (${shown}${r.open_brackets > 3 ? '; ...' : ''})` : ''}, cells per round ${r.cells_per_round.join('+')}`;
}
