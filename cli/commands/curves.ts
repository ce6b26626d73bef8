import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('curves <sweep> <cell>')
    .description(
      "print a cell's stored training curve: its metrics at each step by name (a built-in method's train_loss and test_error, or a program's progress metrics); the cell by its key or a unique start of it",
    )
    .option('--json', 'print a JSON object (sweep_id, cell_key, params, metrics, points: [{step, values}])')
    .addHelpText(
      'after',
      '\nExamples:\n  $ phasesweep curves supervised-phase-diagram 3f9a2c\n  $ phasesweep curves my-model 81f2 --json | jq .points[-1]',
    )
    .action(async (idOrName: string, cell: string, opts: { json?: boolean }) => {
      const { cellCurve } = await import('../../store/cell-curves.ts');
      const { requireSweep, withStore } = await import('../store-session.ts');
      const { resolveCell } = await import('../cell-arg.ts');
      const { renderCellCurve } = await import('../views/cell-curve.ts');
      await withStore(async (pool) => {
        const sweep = await requireSweep(pool, idOrName);
        const { cell_key, params } = await resolveCell(pool, sweep.id, cell);
        const curve = await cellCurve(pool, cell_key);
        console.log(
          opts.json
            ? JSON.stringify({ sweep_id: sweep.id, cell_key, params, ...curve })
            : renderCellCurve(sweep.id, cell_key, params, curve),
        );
      });
    });
}
