// Cluster benchmark: the 20,000-cell `noop` sweep and the default grid (examples/default.yaml) on the
// Temporal cluster of the cluster tests (four services on Postgres, test/cluster/harness) with 4 and
// with 1 task-queue partitions, and on the dev server, in one run, alternating. One `phasesweep worker`
// process on this machine serves each. Reports cells/s, end-to-end seconds, CPU seconds of the worker
// and of the Temporal server processes, and how many trainBatch activities started out of ordinal
// order (task-queue partitions hand tasks out in no global order).
// Usage: npm run bench:cluster -- [--out FILE] [--rounds N]
import { cpus, loadavg } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { awaitSweep } from '../client/await-sweep.ts';
import { connectClient } from '../client/connect.ts';
import { startSweep } from '../client/start-sweep.ts';
import { readState } from '../infra/local/state.ts';
import { countCells } from '../sweep/cells.ts';
import { loadSpecFile, type SweepSpec } from '../sweep/spec.ts';
import { startCluster } from '../test/cluster/harness/cluster.ts';
import { startTestStack } from '../test/helpers/stack.ts';
import { spawnWorker } from '../test/integration/sweep-helpers.ts';

const { values } = parseArgs({
  options: { out: { type: 'string' }, rounds: { type: 'string', default: '1' } },
});
const example = (name: string) => fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
const noop = await loadSpecFile(example('noop-20k.yaml'));
const grid = await loadSpecFile(example('default.yaml'));

const TARGETS = ['dev', 'cluster-4', 'cluster-1'] as const;
type Target = (typeof TARGETS)[number];

interface Stack {
  env: NodeJS.ProcessEnv;
  address: string;
  serverPids(): number[];
  stop(): Promise<void>;
}

async function startTarget(target: Target): Promise<Stack> {
  if (target === 'dev') {
    const stack = await startTestStack();
    return {
      env: {
        PHASESWEEP_HOME: stack.home,
        DATABASE_URL: stack.endpoints.databaseUrl,
        TEMPORAL_ADDRESS: stack.endpoints.temporalAddress,
      },
      address: stack.endpoints.temporalAddress,
      serverPids: () => [readState(stack.home).temporal?.pid ?? 0].filter(Boolean),
      stop: stack.stop,
    };
  }
  const cluster = await startCluster({
    hosts: 0,
    partitions: target === 'cluster-4' ? 4 : 1,
    log: () => undefined,
  });
  return {
    env: cluster.env,
    address: cluster.temporalAddress,
    serverPids: () => Object.values(cluster.services).flatMap((s) => s.pid() ?? []),
    stop: cluster.stop,
  };
}

// utime + stime of a process, in seconds (clock ticks of 1/100 s).
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// trainBatch starts (by their time) whose first ordinal is below one already started.
async function outOfOrderStarts(
  client: Client,
  workflowId: string,
  runId: string,
): Promise<[number, number]> {
  const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
  const ordinalOf = new Map<string, number>();
  for (const e of events) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a?.activityType?.name !== 'trainBatch') continue;
    const input = JSON.parse(Buffer.from(a.input!.payloads![0].data!).toString()) as { fromOrdinal: number };
    ordinalOf.set(String(e.eventId), input.fromOrdinal);
  }
  const starts = events
    .filter((e) => ordinalOf.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId ?? '')))
    .map((e) => ({
      at: Number(e.eventTime!.seconds) * 1e3 + (e.eventTime!.nanos ?? 0) / 1e6,
      ordinal: ordinalOf.get(String(e.activityTaskStartedEventAttributes!.scheduledEventId))!,
    }))
    .sort((x, y) => x.at - y.at);
  let highest = -1;
  let late = 0;
  for (const s of starts) {
    if (s.ordinal < highest) late++;
    highest = Math.max(highest, s.ordinal);
  }
  return [late, starts.length];
}

async function timedSweep(stack: Stack, spec: SweepSpec, workerPid: number) {
  const { client, close } = await connectClient(stack.address, 'default');
  try {
    const cpu0 = cpuSeconds(workerPid);
    const server0 = stack.serverPids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const t0 = performance.now();
    const started = await startSweep(client, spec);
    const end = await awaitSweep(started.handle);
    const seconds = (performance.now() - t0) / 1000;
    const cells = countCells(spec);
    if (end.outcome !== 'finished' || end.summary.done !== cells)
      throw new Error(`incomplete: ${JSON.stringify(end)}`);
    const firstRun = (await started.handle.describe()).raw.workflowExecutionInfo?.firstRunId ?? '';
    const [late, batches] = await outOfOrderStarts(client, started.workflowId, firstRun);
    return {
      cells,
      seconds: Number(seconds.toFixed(2)),
      cells_per_s: Math.round(cells / seconds),
      worker_cpu_s: Number((cpuSeconds(workerPid) - cpu0).toFixed(1)),
      server_cpu_s: Number(
        (stack.serverPids().reduce((sum, pid) => sum + cpuSeconds(pid), 0) - server0).toFixed(1),
      ),
      out_of_order_starts: late,
      batches_in_first_run: batches,
    };
  } finally {
    await close();
  }
}

const results: Record<string, unknown[]> = {};
const load = [loadavg()[0]];
for (let round = 0; round < Number(values.rounds); round++) {
  for (const target of TARGETS) {
    const stack = await startTarget(target);
    try {
      const worker = await spawnWorker(stack.env, ['--concurrency', '4'], [], 180_000);
      try {
        const row = {
          round,
          noop: await timedSweep(stack, noop, worker.child.pid!),
          default_grid: await timedSweep(stack, grid, worker.child.pid!),
        };
        console.log(target, JSON.stringify(row));
        (results[target] ??= []).push(row);
      } finally {
        await worker.stop();
      }
    } finally {
      await stack.stop();
    }
    load.push(loadavg()[0]);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const noopRate = (t: Target) =>
  median(results[t].map((r) => (r as { noop: { cells_per_s: number } }).noop.cells_per_s));
const report = {
  cluster_noop_cells_per_s: noopRate('cluster-4'),
  cluster_1_partition_noop_cells_per_s: noopRate('cluster-1'),
  dev_noop_cells_per_s: noopRate('dev'),
  cluster_over_dev_noop: Number((noopRate('cluster-4') / noopRate('dev')).toFixed(2)),
  runs: results,
  target_cluster_noop_cells_per_s: 1000,
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    load_average_1m: load.map((l) => Number(l.toFixed(1))),
  },
};
console.log(JSON.stringify(report, null, 2));
if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
