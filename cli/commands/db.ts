import type { Command } from 'commander';
import { phasesweepHome } from '../../infra/local/home.ts';

// DATABASE_URL, else the running local stack's Postgres. Only Postgres is needed here, so a stopped
// Temporal does not stand in the way of a migration.
async function databaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const { runningLocalStack } = await import('../../infra/local/stack.ts');
  const url = runningLocalStack(phasesweepHome(), { postgres: true, temporal: false }).databaseUrl;
  if (!url) throw new Error('no database: set DATABASE_URL or run `phasesweep up`');
  return url;
}

export function register(program: Command): void {
  const db = program
    .command('db')
    .description('the results database')
    .addHelpText(
      'after',
      '\nExample:\n  $ DATABASE_URL=postgres://phasesweep@db.example.org/phasesweep phasesweep db migrate',
    );
  db.command('migrate')
    .description(
      'apply pending schema migrations (a no-op when up to date); with PHASESWEEP_GRAFANA_PASSWORD set, also create/update the writer and read-only Grafana roles',
    )
    .option('--json', 'print a JSON object')
    .addHelpText('after', '\nExample:\n  $ phasesweep db migrate --json')
    .action(async (opts: { json?: boolean }) => {
      const url = await databaseUrl();
      const { checkDatabase, createPool, describeDatabaseUrl } = await import('../../store/pool.ts');
      const { migrate } = await import('../../store/migrate.ts');
      const { ensureRoles } = await import('../../store/roles.ts');
      await checkDatabase(url);
      const { applied } = await migrate(url);
      let roles: { writerRole: string; readerRole: string } | undefined;
      const readerPassword = process.env.PHASESWEEP_GRAFANA_PASSWORD;
      if (readerPassword) {
        const pool = createPool(url, { max: 1 });
        try {
          roles = await ensureRoles(pool, {
            readerPassword,
            writerPassword: process.env.PHASESWEEP_WRITER_PASSWORD || undefined,
          });
        } finally {
          await pool.end();
        }
      }
      if (opts.json) {
        console.log(JSON.stringify({ database: describeDatabaseUrl(url), applied, roles: roles ?? null }));
        return;
      }
      const where = describeDatabaseUrl(url);
      console.log(
        applied.length > 0 ? `${where}: applied ${applied.join(', ')}` : `${where}: schema up to date`,
      );
      if (roles)
        console.log(`roles ready: writer ${roles.writerRole}, reader ${roles.readerRole} (SELECT only)`);
    });
}
