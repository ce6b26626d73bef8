// Load benchmark: a 100,000-cell `noop` sweep (no training) on a fresh embedded stack with one real
// `phasesweep worker` process. Checks that it completes, that every workflow run's history stays
// bounded (continue-as-new) and that `phasesweep verify` passes; reports time, worker peak memory and
// history length per run.
// Usage: npm run bench:load -- [--out FILE] [--cells N] [--concurrency N] [--batch-size N]
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { countCells } from '../sweep/cells.ts';
import { parseSpecText } from '../sweep/spec.ts';
import { awaitSweep, queryProgress } from '../workflows/client/await-sweep.ts';
import { connectClient } from '../workflows/client/connect.ts';
import { startSweep } from '../workflows/client/start-sweep.ts';
import { runPhasesweep, startTestStack } from '../test/helpers/stack.ts';

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
const cells = countCells(spec);

const stack = await startTestStack();
const env = {
  PHASESWEEP_HOME: stack.home,
  DATABASE_URL: stack.endpoints.databaseUrl,
  TEMPORAL_ADDRESS: stack.endpoints.temporalAddress,
  TEMPORAL_NAMESPACE: stack.endpoints.namespace,
};
const bin = fileURLToPath(new URL('../bin/phasesweep.js', import.meta.url));
const worker = spawn(process.execPath, [bin, 'worker', '--concurrency', values.concurrency!], {
  env: { ...process.env, ...env },
  stdio: ['ignore', 'inherit', 'pipe'],
});

// VmHWM: the process's peak resident set size so far.
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024);
}

try {
  await new Promise<void>((resolve, reject) => {
    let err = '';
    worker.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.includes('ready')) resolve();
    });
    worker.on('exit', (code) => reject(new Error(`worker exited (${code}):\n${err}`)));
  });
  const { client, close } = await connectClient(stack.endpoints.temporalAddress, stack.endpoints.namespace);
  try {
    const load = loadavg()[0];
    const t0 = performance.now();
    const started = await startSweep(client, spec);
    const end = await awaitSweep(started.handle);
    const seconds = (performance.now() - t0) / 1000;
    if (end.outcome !== 'finished' || end.summary.status !== 'completed' || end.summary.done !== cells) {
      throw new Error(`the sweep did not train every cell: ${JSON.stringify(end)}`);
    }
    const workerPeakMb = peakRssMb(worker.pid!);

    // Every run of the chain, by run id; visibility lags, so listed until the whole chain shows.
    const { runs } = await queryProgress(started.handle);
    const history: number[] = [];
    for (let tries = 0; history.length < runs && tries < 100; tries++) {
      if (tries > 0) await new Promise((r) => setTimeout(r, 300));
      history.length = 0;
      for await (const run of client.workflow.list({ query: `WorkflowId = '${started.workflowId}'` })) {
        const description = await client.workflow.getHandle(run.workflowId, run.runId).describe();
        history.push(description.historyLength);
      }
    }

    const t1 = performance.now();
    const verify = await runPhasesweep(['verify', started.sweepId, '--json'], env, 600_000);
    const verifySeconds = (performance.now() - t1) / 1000;
    const verified = JSON.parse(verify.stdout) as { ok: boolean; results: number; total: number };
    const report = {
      cells,
      seconds: Number(seconds.toFixed(1)),
      cells_per_s: Math.round(cells / seconds),
      worker_peak_rss_mb: workerPeakMb,
      workflow_runs: history.length,
      history_length_per_run: history,
      history_length_max: Math.max(...history),
      history_bounded: Math.max(...history) < HISTORY_WARN,
      verify_ok: verify.code === 0 && verified.ok && verified.results === cells,
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
  } finally {
    await close();
  }
} finally {
  if (worker.exitCode === null) {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
  }
  await stack.stop();
}
