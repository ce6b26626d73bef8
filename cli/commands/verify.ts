import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('verify <sweep>')
    .description(
      'check that every cell of a sweep has exactly one result or failure record, and that its tallies match a recount of its cells (exit 1 otherwise)',
    )
    .addHelpText('after', '\nExample:\n  $ phasesweep verify default-supervised-phase-diagram --json')
    .option('--json', 'print a JSON object')
    .action(async (idOrName: string, opts: { json?: boolean }) => {
      const { verifySweep } = await import('../../store/cells.ts');
      const { formatCounts } = await import('../../store/sweep-counts.ts');
      const { requireSweep, withStore } = await import('../store-session.ts');
      await withStore(async (pool) => {
        const sweep = await requireSweep(pool, idOrName);
        const v = await verifySweep(pool, sweep.id);
        if (opts.json) {
          console.log(JSON.stringify({ sweep_id: sweep.id, status: sweep.status, ...v }));
        } else {
          console.log(
            `sweep ${sweep.id} (${sweep.status}): ${formatCounts(v.counts)}: ${v.ok ? 'OK' : 'INCOMPLETE'}`,
          );
          if (v.recount) {
            console.log(
              `but a recount of its cells gives ${formatCounts(v.recount)}: the store's tally is wrong`,
            );
          }
          if (v.metric_recount) {
            const { describeMetricMismatch } = await import('../views/metric-tally.ts');
            console.log(
              `but a recount of its cells gives ${describeMetricMismatch(v.metric_recount)}: the store's tally is wrong`,
            );
          }
        }
        if (!v.ok) process.exitCode = 1;
      });
    });
}
