import type { Command } from 'commander';
import { phasesweepHome } from '../../infra/local/home.ts';
import type { ServiceReport } from '../../infra/local/report.ts';

function line(name: string, where: string | undefined, service: ServiceReport): string {
  const state = service.healthy ? 'ok' : `DOWN: ${service.error}`;
  const pid = service.pid ? ` pid ${service.pid}` : '';
  return `${name.padEnd(9)} ${state}  ${where ?? ''}  (${service.source}${pid})`;
}

export function register(program: Command): void {
  program
    .command('status')
    .description('health of Postgres and Temporal (exit 1 if either is down)')
    .addHelpText('after', '\nExample:\n  $ phasesweep status --json')
    .option('--json', 'print a JSON object')
    .option('--show-secrets', 'print the database URL with its password')
    .action(async (opts: { json?: boolean; showSecrets?: boolean }) => {
      const { stackReport } = await import('../../infra/local/report.ts');
      const report = await stackReport(phasesweepHome(), opts.showSecrets);
      if (opts.json) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        console.log(line('Postgres', report.postgres.url, report.postgres));
        console.log(
          line(
            'Temporal',
            `${report.temporal.address ?? ''} namespace ${report.temporal.namespace}`,
            report.temporal,
          ),
        );
        if (report.temporal.uiUrl) console.log(`Web UI    ${report.temporal.uiUrl}`);
      }
      if (!report.postgres.healthy || !report.temporal.healthy) process.exitCode = 1;
    });
}
