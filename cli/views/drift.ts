import { fmtAxis, fmtError } from './format.ts';
import type { DriftReport } from '../../store/drift.ts';

const ci = (c: [number, number] | null): string => (c ? `[${fmtError(c[0])},${fmtError(c[1])}]` : '[no CI]');

export function renderDrift(report: DriftReport, labelA: string, labelB: string): string {
  const lines = [
    `${report.compared} grid points compared (${labelA} → ${labelB}); ${report.moved.length} moved beyond the 95% CIs` +
      (report.only_in_a + report.only_in_b > 0
        ? `; ${report.only_in_a} only in ${labelA}, ${report.only_in_b} only in ${labelB}`
        : ''),
  ];
  if (report.moved.length === 0) return lines.join('\n');
  lines.push(
    `${'method'.padEnd(11)} ${'n'.padStart(5)} ${'n0'.padStart(5)} ${'SNR'.padStart(5)}  before            after             Δ`,
  );
  for (const m of report.moved) {
    lines.push(
      `${m.method.padEnd(11)} ${String(m.n_labels).padStart(5)} ${(m.n_unlabeled === null ? '-' : String(m.n_unlabeled)).padStart(5)} ` +
        `${fmtAxis(m.snr).padStart(5)}  ${fmtError(m.before).padStart(4)} ${ci(m.before_ci).padEnd(12)} ` +
        `${fmtError(m.after).padStart(4)} ${ci(m.after_ci).padEnd(12)} ${m.delta >= 0 ? '+' : ''}${m.delta.toFixed(2)}`,
    );
  }
  return lines.join('\n');
}
