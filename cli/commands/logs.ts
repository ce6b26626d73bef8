import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('logs <sweep> <cell>')
    .description(
      "print the stored output of a failed cell of a method: command sweep (the last 64 KiB of its program's stdout and stderr); the cell by its key or a unique start of it",
    )
    .addHelpText('after', '\nExample:\n  $ phasesweep logs command-numpy-cnn 3f9a2c')
    .action(async (idOrName: string, cell: string) => {
      const { cellLog } = await import('../../store/cell-logs.ts');
      const { requireSweep, withStore } = await import('../store-session.ts');
      const { resolveCell } = await import('../cell-arg.ts');
      await withStore(async (pool) => {
        const sweep = await requireSweep(pool, idOrName);
        const { cell_key } = await resolveCell(pool, sweep.id, cell);
        const log = (await cellLog(pool, sweep.id, cell_key))!;
        if (log.error === null) {
          console.error(
            `cell ${log.cell_key} has not failed in sweep ${sweep.id}: logs are kept with failures`,
          );
          process.exitCode = 1;
          return;
        }
        console.error(`cell ${log.cell_key}, attempt ${log.attempt}: ${log.error}`);
        if (log.log_tail === null) console.error('(no program output is stored for this cell)');
        else process.stdout.write(log.log_tail.endsWith('\n') ? log.log_tail : `${log.log_tail}\n`);
      });
    });
}
