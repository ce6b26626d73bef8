// The part the orchestration, load and refine benchmarks share: one sweep on a fresh stack (embedded,
// or the Temporal cluster of the cluster tests) with one real `phasesweep worker` process
// (bench/bench-worker.ts), then what it cost: time, the CPU time of each process (worker, Postgres,
// Temporal, this client), the worker's peak memory, the time of each phase and the history length of
// every workflow run.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import type { SweepSpec } from '../sweep/spec.ts';
import { queryProgress } from '../client/await-sweep.ts';
import { cpuBetween, timeSweep, withBenchWorker, type CpuSeconds } from './bench-worker.ts';
import type { Target } from './timed-stack.ts';

export type { CpuSeconds } from './bench-worker.ts';

export interface SweepRun {
  // Every cell the sweep ended with (a refined sweep adds cells to its grid each round).
  cells: number;
  cached: number;
  seconds: number;
  workerCpuSeconds: number;
  // CPU seconds over the sweep per process: the worker, Postgres (with its backends), Temporal's dev
  // server and this client.
  cpuSeconds: CpuSeconds;
  phases: SweepPhases;
  // 1-minute load average when the sweep started.
  load: number;
  status: string;
  sweepId: string;
  workerPeakMb: number;
  // The worker's peak RSS by the time the sweep's cells were all registered.
  workerPeakMbRegistering: number;
  // CPU seconds per process of each phase: registration (start to the sweep marked running), and the
  // rest (training, finishing, until the client has the result).
  cpuSecondsByPhase: { register: CpuSeconds; train: CpuSeconds };
  // 1-minute load average when the sweep ended.
  loadAtEnd: number;
  historyPerRun: number[];
  // The environment that points a `phasesweep` command at this stack.
  env: NodeJS.ProcessEnv;
}

// From the store's timestamps: registration (the sweep started to its cells stored and it marked running), training (first
// to last result) and the seconds each tenth of the results took, in the order they finished: a rate
// that falls from tenth to tenth is a per-cell cost that grows as the sweep goes on.
export interface SweepPhases {
  register_s: number;
  train_s: number;
  tenths_s: number[];
}

const PHASES_SQL = `
WITH r AS (
  SELECT finished_at, ntile(10) OVER (ORDER BY finished_at) AS tenth FROM results WHERE sweep_id = $1
), t AS (SELECT tenth, max(finished_at) AS upto FROM r GROUP BY tenth)
SELECT
  extract(epoch FROM s.started_at - $2::timestamptz)::float8 AS register_s,
  (SELECT extract(epoch FROM max(finished_at) - min(finished_at))::float8 FROM r) AS train_s,
  (SELECT array_agg(extract(epoch FROM upto - coalesce(lag, s.started_at))::float8 ORDER BY tenth)
   FROM (SELECT tenth, upto, lag(upto) OVER (ORDER BY tenth) FROM t) x) AS tenths_s
FROM sweeps s WHERE s.id = $1`;

async function sweepPhases(databaseUrl: string, sweepId: string, startedAt: Date): Promise<SweepPhases> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<SweepPhases>(PHASES_SQL, [sweepId, startedAt]);
    const round = (x: number) => Number(x.toFixed(2));
    const row = rows[0]!;
    return {
      register_s: round(row.register_s),
      train_s: round(row.train_s),
      tenths_s: row.tenths_s.map(round),
    };
  } finally {
    await pool.end();
  }
}

// The worker's peak RSS and every process's CPU seconds once the sweep is marked running, i.e. its
// cells are registered.
async function atRegistered<C>(
  databaseUrl: string,
  sweepId: string,
  pid: number,
  cpuNow: () => C,
): Promise<{ peakMb: number; cpu: C }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    for (;;) {
      const { rows } = await pool.query<{ started: boolean }>(
        'SELECT started_at IS NOT NULL AS started FROM sweeps WHERE id = $1',
        [sweepId],
      );
      if (rows[0]?.started) return { peakMb: peakRssMb(pid), cpu: cpuNow() };
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await pool.end();
  }
}

// VmHWM: the process's peak resident set size so far.
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024);
}

// Runs the sweep, hands its figures to `inspect` while the stack is still up, and tears down.
export async function withTimedSweep<T>(
  spec: SweepSpec,
  concurrency: string,
  inspect: (run: SweepRun) => Promise<T>,
  target: Target = 'embedded',
): Promise<T> {
  return withBenchWorker(target, concurrency, async (bench) => {
    const { stack, worker, client } = bench;
    const timed = await timeSweep(bench, spec, (started) =>
      atRegistered(stack.databaseUrl, started.sweepId, worker.pid!, bench.cpuNow),
    );
    const { started, end, cpu } = timed;
    const registered = timed.during;
    if (end.outcome !== 'finished' || end.summary.done !== end.summary.total) {
      throw new Error(`the sweep did not train every cell: ${JSON.stringify(end)}`);
    }
    const workerPeakMb = peakRssMb(worker.pid!);

    // Every run of the chain, by run id; visibility lags, so listed until the whole chain shows.
    const { runs } = await queryProgress(started.handle);
    const historyPerRun: number[] = [];
    for (let tries = 0; historyPerRun.length < runs && tries < 100; tries++) {
      if (tries > 0) await new Promise((r) => setTimeout(r, 300));
      historyPerRun.length = 0;
      for await (const run of client.workflow.list({ query: `WorkflowId = '${started.workflowId}'` })) {
        const description = await client.workflow.getHandle(run.workflowId, run.runId).describe();
        historyPerRun.push(description.historyLength);
      }
    }
    return inspect({
      cells: end.summary.total,
      cached: end.summary.cached,
      seconds: timed.seconds,
      workerCpuSeconds: cpu.worker,
      cpuSeconds: cpu,
      phases: await sweepPhases(stack.databaseUrl, started.sweepId, timed.startedAt),
      load: timed.load,
      status: end.summary.status,
      sweepId: started.sweepId,
      workerPeakMb,
      workerPeakMbRegistering: registered.peakMb,
      cpuSecondsByPhase: {
        register: cpuBetween(timed.cpuAt.start, registered.cpu),
        train: cpuBetween(registered.cpu, timed.cpuAt.end),
      },
      loadAtEnd: loadavg()[0]!,
      historyPerRun,
      env: stack.env,
    });
  });
}
