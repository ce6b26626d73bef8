// Orchestration benchmark: a 20,000-cell `noop` sweep (no training: the fixed result of the noop
// method) end to end on a fresh embedded stack: workflow, register/plan/trainBatch activities and
// Postgres writes, trained by one real `phasesweep worker` process.
// Usage: npm run bench:orchestration -- [--out FILE] [--spec FILE] [--concurrency N]
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadSpecFile } from '../infra/spec-file.ts';
import { withTimedSweep } from './noop-sweep.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    spec: { type: 'string', default: fileURLToPath(new URL('../examples/noop-20k.yaml', import.meta.url)) },
    concurrency: { type: 'string', default: '4' },
  },
});

const spec = await loadSpecFile(values.spec!);
await withTimedSweep(spec, values.concurrency!, async (run) => {
  const report = {
    cells: run.cells,
    seconds: Number(run.seconds.toFixed(2)),
    cells_per_s: Math.round(run.cells / run.seconds),
    worker_peak_rss_mb: run.workerPeakMb,
    workflow_runs: run.historyPerRun.length,
    history_length_per_run: run.historyPerRun,
    batch_size: spec.resources.batch_size,
    max_in_flight: spec.resources.max_in_flight,
    worker_concurrency: Number(values.concurrency),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model },
    target_cells_per_s: 500,
  };
  console.log(JSON.stringify(report, null, 2));
  if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
});
