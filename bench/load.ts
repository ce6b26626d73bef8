// Load benchmark: a 100,000-cell `noop` sweep (no training) on a fresh embedded stack with one real
// `phasesweep worker` process. Checks that it completes, that every workflow run's history stays
// bounded (continue-as-new) and that `phasesweep verify` passes; reports time, worker peak memory and
// history length per run.
// Usage: npm run bench:load -- [--out FILE] [--cells N] [--concurrency N] [--batch-size N]
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { parseSpecText } from '../sweep/spec.ts';
import { runPhasesweep } from '../test/helpers/stack.ts';
import { withTimedSweep } from './noop-sweep.ts';

// Temporal warns at 10,240 events per run and refuses at 51,200.
const HISTORY_WARN = 10_240;

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    cells: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '100' },
  },
});

const wanted = Number(values.cells);
const seeds = Math.ceil(wanted / 100);
const spec = parseSpecText(
  stringify({
    name: `load-${wanted}`,
    method: 'noop',
    grid: { snr: { linspace: [0.01, 1.0, 100] }, seed: { range: [0, seeds] } },
    resources: { queue: 'train-cpu', batch_size: Number(values['batch-size']), max_in_flight: 16 },
    tags: { purpose: 'load benchmark' },
  }),
  'load.yaml',
);

const load = loadavg()[0];
await withTimedSweep(spec, values.concurrency!, async (run) => {
  if (run.status !== 'completed') throw new Error(`the sweep ended ${run.status}`);
  const history = run.historyPerRun;
  const t1 = performance.now();
  const verify = await runPhasesweep(['verify', run.sweepId, '--json'], run.env, 600_000);
  const verifySeconds = (performance.now() - t1) / 1000;
  const verified = JSON.parse(verify.stdout) as { ok: boolean; counts: { done: number } };
  const report = {
    cells: run.cells,
    seconds: Number(run.seconds.toFixed(1)),
    cells_per_s: Math.round(run.cells / run.seconds),
    worker_peak_rss_mb: run.workerPeakMb,
    cpu_seconds: run.cpuSeconds,
    phases: run.phases,
    workflow_runs: history.length,
    history_length_per_run: history,
    history_length_max: Math.max(...history),
    history_bounded: Math.max(...history) < HISTORY_WARN,
    verify_ok: verify.code === 0 && verified.ok && verified.counts.done === run.cells,
    verify_seconds: Number(verifySeconds.toFixed(1)),
    batch_size: spec.resources.batch_size,
    max_in_flight: spec.resources.max_in_flight,
    worker_concurrency: Number(values.concurrency),
    load_average_at_start: Number(load.toFixed(1)),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model },
  };
  console.log(JSON.stringify(report, null, 2));
  if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  if (!report.history_bounded || !report.verify_ok) process.exitCode = 1;
});
