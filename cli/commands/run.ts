import type { Command } from 'commander';
import { formatCounts } from '../../store/sweep-counts.ts';
import type { RunOptions, RunReport } from '../run-sweep.ts';

const headline = (report: RunReport) =>
  `sweep ${report.sweep_id} (workflow ${report.workflow_id}) ${report.attached ? 'attached' : 'started'}`;

function describe(report: RunReport): string {
  const head = headline(report);
  if (report.status === undefined) {
    return `${head}\n${report.local_worker ? '' : 'no local worker: start `phasesweep worker` to train it'}`.trim();
  }
  const counts = report.counts ? formatCounts(report.counts) : 'no counts';
  return `${head}\nstatus ${report.status}: ${counts}${report.error ? `\nerror: ${report.error}` : ''}`;
}

export function register(program: Command): void {
  program
    .command('run <spec>')
    .description(
      'run a sweep spec on Temporal (same spec while running: attach). With the embedded stack an ' +
        'in-process worker trains it and run waits for the end',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ phasesweep run examples/default.yaml --watch\n  $ phasesweep run my-spec.yaml --no-local-worker --json   # `phasesweep worker` processes train it\n  $ phasesweep run my-spec.yaml --dry-run                  # cells, cache hits, CPU estimate; starts nothing',
    )
    .option(
      '--dry-run',
      'start nothing: validate the spec, count its cells and cache hits, and estimate the CPU time from stored timings (needs only the database)',
    )
    .option('--wait', 'wait for the end; exit 0 only if every cell has a result or a recorded failure')
    .option('--json', 'print one JSON object (sweep_id, workflow_id; after waiting: status and counts)')
    .option('--no-local-worker', 'do not start an in-process worker (`phasesweep worker` processes train)')
    .option(
      '--timeout <duration>',
      'with --wait/--watch, or the in-process worker: stop waiting after this long (e.g. 30s, 5m), exit 1',
    )
    .option(
      '--watch',
      'live progress bar (done/total, cache hits, failures, cells/s, ETA), then heatmaps; implies --wait',
    )
    .action(async (specPath: string, opts: RunOptions & { dryRun?: boolean }) => {
      if (opts.dryRun) {
        const { dryRun, describeDryRun } = await import('../dry-run.ts');
        const report = await dryRun(specPath);
        console.log(opts.json ? JSON.stringify(report) : describeDryRun(report));
        return;
      }
      const { startRunWatch } = await import('../watch-sweep.ts');
      const { executeRun } = await import('../run-sweep.ts');
      const watch = opts.watch ? startRunWatch(opts) : undefined;
      // On stderr, so that the id is known while waiting and --json output stays one object.
      const onWaiting = (r: RunReport) => process.stderr.write(`${headline(r)}: waiting for it to end\n`);
      const { report, ok, timedOut } = await executeRun(specPath, watch ? { ...opts, wait: true } : opts, {
        ...watch?.hooks,
        onWaiting,
      }).catch((err: unknown) => {
        // The progress bar's line must not swallow the error printed next.
        watch?.stop();
        throw err;
      });
      if (timedOut) watch?.stop();
      else await watch?.finish(report.sweep_id);
      // A script that gave up waiting still learns the sweep's id, status and counts.
      console.log(opts.json ? JSON.stringify(report) : describe(report));
      if (timedOut) process.stderr.write(`phasesweep: ${timedOut}\n`);
      if (!ok) process.exitCode = 1;
    });
}
