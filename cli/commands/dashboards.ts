import type { Command } from 'commander';
import { BadInputError } from '../exit.ts';
import { DEFAULT_BUILD_DIR, DEFAULT_FOLDER } from '../../dashboards/defaults.ts';

export function register(program: Command): void {
  const dashboards = program
    .command('dashboards')
    .description('Grafana dashboards: build the JSON or upload it')
    .addHelpText(
      'after',
      '\nExamples:\n  $ phasesweep dashboards build\n  $ GRAFANA_TOKEN=... phasesweep dashboards push --url http://localhost:3000',
    );

  dashboards
    .command('build')
    .description('write the dashboard JSON files (the folder Grafana provisioning reads)')
    .option('--out <dir>', 'output folder', DEFAULT_BUILD_DIR)
    .addHelpText('after', '\nExample:\n  $ phasesweep dashboards build --out build/dashboards')
    .action(async (opts: { out: string }) => {
      const { writeDashboards } = await import('../../dashboards/write.ts');
      for (const path of await writeDashboards(opts.out)) console.log(path);
    });

  dashboards
    .command('push')
    .description('upload the dashboards through the Grafana HTTP API (token from GRAFANA_TOKEN)')
    .requiredOption('--url <url>', 'Grafana base URL, e.g. http://localhost:3000')
    .option('--folder <uid>', 'folder uid (created if missing)', DEFAULT_FOLDER.uid)
    .option('--folder-title <title>', 'folder title when it is created', DEFAULT_FOLDER.title)
    .addHelpText(
      'after',
      '\nExample:\n  $ GRAFANA_TOKEN=... phasesweep dashboards push --url https://grafana.example.org --folder phasesweep',
    )
    .action(async (opts: { url: string; folder: string; folderTitle: string }) => {
      const token = process.env.GRAFANA_TOKEN;
      if (!token) {
        throw new BadInputError(
          'GRAFANA_TOKEN is not set: create a Grafana service-account token with Editor rights and export it',
        );
      }
      const { pushDashboards } = await import('../../dashboards/push.ts');
      const result = await pushDashboards({
        url: opts.url,
        token,
        folder: { uid: opts.folder, title: opts.folderTitle },
      });
      for (const uid of result.uids) console.log(`pushed ${uid} into folder ${result.folderUid}`);
    });
}
