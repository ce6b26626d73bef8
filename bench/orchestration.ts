// Orchestration benchmark: a 20,000-cell `noop` sweep (no training: the fixed result of the noop
// method) end to end on a fresh embedded stack: workflow, register/plan/trainBatch activities and
// Postgres writes, trained by one real `phasesweep worker` process.
// Usage: npm run bench:orchestration -- [--out FILE] [--spec FILE] [--concurrency N]
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadSpecFile } from '../sweep/spec.ts';
import { countCells } from '../sweep/cells.ts';
import { awaitSweep } from '../workflows/client/await-sweep.ts';
import { connectClient } from '../workflows/client/connect.ts';
import { startSweep } from '../workflows/client/start-sweep.ts';
import { startTestStack } from '../test/helpers/stack.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    spec: { type: 'string', default: fileURLToPath(new URL('../examples/noop-20k.yaml', import.meta.url)) },
    concurrency: { type: 'string', default: '4' },
  },
});

const spec = await loadSpecFile(values.spec!);
const cells = countCells(spec);
const stack = await startTestStack();
const env = {
  ...process.env,
  PHASESWEEP_HOME: stack.home,
  DATABASE_URL: stack.endpoints.databaseUrl,
  TEMPORAL_ADDRESS: stack.endpoints.temporalAddress,
};
const bin = fileURLToPath(new URL('../bin/phasesweep.js', import.meta.url));
const worker = spawn(process.execPath, [bin, 'worker', '--concurrency', values.concurrency!], {
  env,
  stdio: ['ignore', 'inherit', 'pipe'],
});
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
    const t0 = performance.now();
    const started = await startSweep(client, spec);
    const end = await awaitSweep(started.handle);
    const seconds = (performance.now() - t0) / 1000;
    if (end.outcome !== 'finished' || end.summary.done !== cells) {
      throw new Error(`the sweep did not train every cell: ${JSON.stringify(end)}`);
    }
    // VmHWM: the worker process's peak resident set size.
    const status = readFileSync(`/proc/${worker.pid}/status`, 'utf8');
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    // Visibility lags behind; describe() of each run of the chain reads its history length directly.
    const historyLengths: number[] = [];
    for (let tries = 0; historyLengths.length === 0 && tries < 50; tries++) {
      if (tries > 0) await new Promise((r) => setTimeout(r, 200));
      for await (const run of client.workflow.list({ query: `WorkflowId = '${started.workflowId}'` })) {
        const description = await client.workflow.getHandle(run.workflowId, run.runId).describe();
        historyLengths.push(description.historyLength);
      }
    }
    const report = {
      cells,
      seconds: Number(seconds.toFixed(2)),
      cells_per_s: Math.round(cells / seconds),
      worker_peak_rss_mb: Math.round(peakKb / 1024),
      workflow_runs: historyLengths.length,
      history_length_per_run: historyLengths,
      batch_size: spec.resources.batch_size,
      max_in_flight: spec.resources.max_in_flight,
      worker_concurrency: Number(values.concurrency),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model },
      target_cells_per_s: 500,
    };
    console.log(JSON.stringify(report, null, 2));
    if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
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
