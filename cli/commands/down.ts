import type { Command } from 'commander';
import { phasesweepHome } from '../../infra/local/home.ts';

export function register(program: Command): void {
  program
    .command('down')
    .description('stop the local stack; its data stays for the next `up`')
    .addHelpText('after', '\nExample:\n  $ phasesweep down')
    .action(async () => {
      const { stopLocalStack } = await import('../../infra/local/stack.ts');
      const stopped = await stopLocalStack(phasesweepHome());
      console.log(
        stopped.length > 0 ? `stopped ${stopped.join(' and ')}` : 'the local stack was not running',
      );
    });
}
