import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { gridPoints } from '../../store/grid-points.ts';
import { formatCounts } from '../../store/sweep-counts.ts';
import { getSweep } from '../../store/sweeps.ts';
import { renderSweepHeatmaps } from '../views/heatmap.ts';
import { useColor } from '../views/sweep-summary.ts';
import { ensureOutputFolder } from '../write-output.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEMO_SPEC = path.join(ROOT, 'examples', 'demo.yaml');
const GRAFANA_PROVISIONING = path.join(ROOT, 'infra', 'grafana', 'provisioning');

const log = (line: string) => console.error(line);

interface DemoOptions {
  spec: string;
  outDir: string;
  json?: boolean;
  color?: boolean;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'first run: start the embedded stack and a local worker, run examples/demo.yaml (both methods, 256 ' +
        'cells), write phase-diagram.png and .svg, print the heatmaps',
    )
    .option('--spec <file>', 'sweep spec to run instead of examples/demo.yaml', DEMO_SPEC)
    .option('--out-dir <dir>', 'where phase-diagram.png and .svg go', '.')
    .option('--json', 'print one JSON object (sweep, files, URLs) instead of text')
    .option('--no-color', 'plain text heatmaps')
    .addHelpText(
      'after',
      '\nThe stack stays up afterwards (`phasesweep down` stops it); a second demo reuses every result.\n\nExample:\n  $ npx phasesweep demo\n  $ npx phasesweep demo --out-dir /tmp/figures',
    )
    .action(async (opts: DemoOptions) => {
      // Checked before minutes of training, not after.
      await ensureOutputFolder(opts.outDir, '--out-dir');
      const { resolveEndpoints } = await import('../../infra/local/endpoints.ts');
      const { migrate } = await import('../../store/migrate.ts');
      const { createPool } = await import('../../store/pool.ts');
      const { startRunWatch } = await import('../watch-sweep.ts');
      const { executeRun } = await import('../run-sweep.ts');
      const endpoints = await resolveEndpoints({ start: true, log });
      await migrate(endpoints.databaseUrl);
      const watch = startRunWatch({ json: opts.json });
      const { report, ok } = await executeRun(opts.spec, { wait: true }, watch.hooks);
      // The progress bar closes before anything else prints; the heatmaps follow below.
      watch.stop();
      const files = ['phase-diagram.png', 'phase-diagram.svg'].map((f) => path.resolve(opts.outDir, f));
      const pool = createPool(endpoints.databaseUrl, { max: 2 });
      try {
        const sweep = await getSweep(pool, report.sweep_id);
        const points = await gridPoints(pool, report.sweep_id);
        const { writePhaseDiagram } = await import('../plots/write-plot.ts');
        await writePhaseDiagram(
          points,
          { text: `${sweep?.name ?? 'demo'}: mean test error`, subtitle: report.sweep_id },
          files,
        );
        const urls = {
          temporal_ui: endpoints.uiUrl ?? null,
          grafana_provisioning: GRAFANA_PROVISIONING,
        };
        if (opts.json) {
          console.log(JSON.stringify({ ...report, files, ...urls }));
        } else {
          console.log(renderSweepHeatmaps(points, { color: useColor(opts.color) }));
          console.log('');
          console.log(
            `sweep     ${report.sweep_id}: ${report.status}, ${report.counts ? formatCounts(report.counts) : '-'}`,
          );
          console.log(`figures   ${files.join('  ')}`);
          if (urls.temporal_ui)
            console.log(`Temporal  ${urls.temporal_ui}  (workflow ${report.workflow_id})`);
          console.log(`Grafana   provisioning in ${GRAFANA_PROVISIONING} (datasource + dashboards)`);
          console.log(`next      phasesweep show ${report.sweep_id}   |   phasesweep down`);
        }
      } finally {
        await pool.end();
      }
      if (!ok) process.exitCode = 1;
    });
}
