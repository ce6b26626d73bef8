import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('watch')
    .description(
      'live progress of a running sweep (done/total, cache hits, failures, cells/s, ETA), then its heatmaps',
    )
    .argument('<sweep>', 'sweep id, or a name (its most recent sweep)')
    .option('--json', 'print each progress answer as a JSON line, then a final JSON object')
    .option('--timeout <duration>', 'stop waiting after this long (e.g. 30s, 5m) and exit 1')
    .addHelpText(
      'after',
      '\nCtrl-C stops watching only; the sweep keeps running. With no worker polling its task queues,\nwatch says so within seconds and names the command that starts one.\n\nExample:\n  $ phasesweep watch supervised-phase-diagram',
    )
    .action(async (idOrName: string, opts: { json?: boolean; timeout?: string }) => {
      const { watchSweep } = await import('../watch-sweep.ts');
      process.exitCode = await watchSweep(idOrName, opts);
    });
}
