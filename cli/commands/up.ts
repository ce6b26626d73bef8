import type { Command } from 'commander';
import { phasesweepHome } from '../../infra/local/home.ts';

const log = (line: string) => console.error(line);

export function register(program: Command): void {
  program
    .command('up')
    .description('start the local stack (embedded Postgres + Temporal dev server), or reuse it if running')
    .addHelpText(
      'after',
      '\nExamples:\n  $ phasesweep up\n  $ PHASESWEEP_HOME=~/sweeps phasesweep up   # a stack kept in another folder',
    )
    .option('--install-only', 'only find or install the Temporal CLI, and print its path')
    .action(async (opts: { installOnly?: boolean }) => {
      if (opts.installOnly) {
        const { resolveTemporalBinary } = await import('../../infra/local/temporal-binary.ts');
        console.log(await resolveTemporalBinary({ home: phasesweepHome(), log }));
        return;
      }
      const { resolveEndpoints } = await import('../../infra/local/endpoints.ts');
      const { maskDatabaseUrl } = await import('../../store/pool.ts');
      const { migrate } = await import('../../store/migrate.ts');
      const endpoints = await resolveEndpoints({ start: true, log });
      const { applied } = await migrate(endpoints.databaseUrl);
      if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
      const origin = (local: boolean) => (local ? 'local' : 'from env');
      console.log(
        `Postgres  ${maskDatabaseUrl(endpoints.databaseUrl)}  (${origin(endpoints.local.postgres)})`,
      );
      console.log(
        `Temporal  ${endpoints.temporalAddress}  namespace ${endpoints.namespace}  (${origin(endpoints.local.temporal)})`,
      );
      if (endpoints.uiUrl) console.log(`Web UI    ${endpoints.uiUrl}`);
      if (endpoints.local.postgres) console.log('Full database URL: phasesweep status --show-secrets');
    });
}
