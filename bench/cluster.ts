// Cluster benchmark: the 20,000-cell `noop` sweep and the default grid (examples/default.yaml) on the
// Temporal cluster of the cluster tests (four services on Postgres, test/cluster/harness) with 4 and
// with 1 task-queue partitions, and on the dev server, in one run, alternating. One `phasesweep worker`
// process on this machine serves each. Reports cells/s, end-to-end seconds, CPU seconds of the worker,
// of the Temporal server processes and of the Postgres servers (with their backends), and how many
// trainBatch activities started out of ordinal order (task-queue partitions hand tasks out in no
// global order). `--noop-batch-sizes 100,400` runs the noop sweep once per batch size (on new cells
// each time, so none is a cache hit).
// Usage: npm run bench:cluster -- [--out FILE] [--rounds N] [--noop-batch-sizes LIST]
import { cpus, loadavg } from 'node:os';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { awaitSweep } from '../client/await-sweep.ts';
import { connectClient } from '../client/connect.ts';
import { startSweep } from '../client/start-sweep.ts';
import { readState } from '../infra/local/state.ts';
import { countCells } from '../sweep/cells.ts';
import { parse, stringify } from 'yaml';
import { parseSpecText, type SweepSpec } from '../sweep/spec.ts';
import { loadSpecFile } from '../infra/spec-file.ts';
import { startCluster } from '../test/cluster/harness/cluster.ts';
import { startTestStack } from '../test/helpers/stack.ts';
import { spawnWorker } from '../test/helpers/sweeps.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    'noop-batch-sizes': { type: 'string', default: '100' },
  },
});
const example = (name: string) => fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
const grid = await loadSpecFile(example('default.yaml'));
const NOOP_SEEDS = 200;
// examples/noop-20k.yaml with the given batch size, on seeds [k * 200, (k + 1) * 200).
function noopSpec(batchSize: number, k: number): SweepSpec {
  const spec = parse(readFileSync(example('noop-20k.yaml'), 'utf8')) as {
    grid: Record<string, unknown>;
    resources: Record<string, unknown>;
  };
  return parseSpecText(
    stringify({
      ...spec,
      name: `noop-20k-b${batchSize}`,
      grid: { ...spec.grid, seed: { range: [k * NOOP_SEEDS, (k + 1) * NOOP_SEEDS] } },
      resources: { ...spec.resources, batch_size: batchSize },
    }),
    'noop-20k.yaml',
  );
}
const batchSizes = values['noop-batch-sizes'].split(',').map(Number);
if (!batchSizes.every((n) => Number.isInteger(n) && n >= 1)) {
  console.error(`--noop-batch-sizes: expected whole numbers >= 1, got ${values['noop-batch-sizes']}`);
  process.exit(2);
}

const TARGETS = ['dev', 'cluster-4', 'cluster-1'] as const;
type Target = (typeof TARGETS)[number];

interface Stack {
  env: NodeJS.ProcessEnv;
  address: string;
  serverPids(): number[];
  postgresPids(): number[];
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
      postgresPids: () => [readState(stack.home).postgres?.pid ?? 0].filter(Boolean),
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
    postgresPids: cluster.postgresPids,
    stop: cluster.stop,
  };
}

// /proc/PID/stat after the command name: state is field 0, ppid 1, utime 11, stime 12, and the
// waited-for children's cutime 13, cstime 14 (clock ticks of 1/100 s).
function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  } catch {
    return undefined;
  }
}

// CPU seconds of a process.
function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / 100 : 0;
}

// CPU seconds of a server and all its children, living (Postgres backends) or ended and reaped.
function treeCpuSeconds(pid: number): number {
  const f = statFields(pid);
  if (!f) return 0;
  let ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const c = statFields(Number(entry));
    if (c && Number(c[1]) === pid) ticks += Number(c[11]) + Number(c[12]) + Number(c[13]) + Number(c[14]);
  }
  return ticks / 100;
}

const sumOf = (pids: number[], cpu: (pid: number) => number) => pids.reduce((s, pid) => s + cpu(pid), 0);

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
    const server0 = sumOf(stack.serverPids(), cpuSeconds);
    const pg0 = sumOf(stack.postgresPids(), treeCpuSeconds);
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
      server_cpu_s: Number((sumOf(stack.serverPids(), cpuSeconds) - server0).toFixed(1)),
      postgres_cpu_s: Number((sumOf(stack.postgresPids(), treeCpuSeconds) - pg0).toFixed(1)),
      load_average_1m: Number(loadavg()[0].toFixed(1)),
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
  // Every other round in reverse order, so that a drifting load does not favour one target.
  for (const target of round % 2 === 0 ? TARGETS : [...TARGETS].reverse()) {
    const stack = await startTarget(target);
    try {
      const worker = await spawnWorker(stack.env, ['--concurrency', '4'], [], 180_000);
      try {
        const noop: Record<string, Awaited<ReturnType<typeof timedSweep>>> = {};
        for (const [k, size] of batchSizes.entries()) {
          noop[`batch_${size}`] = await timedSweep(stack, noopSpec(size, k), worker.child.pid!);
        }
        const row = { round, noop, default_grid: await timedSweep(stack, grid, worker.child.pid!) };
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : Math.round((s[mid - 1] + s[mid]) / 2);
}
// The noop rate at the example's batch size (the first of --noop-batch-sizes).
const noopRate = (t: Target) =>
  median(
    results[t].map(
      (r) =>
        (r as { noop: Record<string, { cells_per_s: number }> }).noop[`batch_${batchSizes[0]}`].cells_per_s,
    ),
  );
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
