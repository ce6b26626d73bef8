// Shared by the sweep integration tests: real worker processes, spec files, and store queries.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { stringify } from 'yaml';
import type { Endpoints } from '../../infra/local/endpoints.ts';
import type { CliChild } from './stack.ts';

const BIN = fileURLToPath(new URL('../../bin/phasesweep.js', import.meta.url));

// The environment that points the CLI and workers at a test stack (no local worker in `run`: tests
// start worker processes themselves).
export function stackEnv(endpoints: Endpoints, home: string): NodeJS.ProcessEnv {
  return {
    PHASESWEEP_HOME: home,
    DATABASE_URL: endpoints.databaseUrl,
    TEMPORAL_ADDRESS: endpoints.temporalAddress,
    TEMPORAL_NAMESPACE: endpoints.namespace,
    PHASESWEEP_BACKEND: 'auto',
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  // SIGTERM and wait for a graceful exit.
  stop(): Promise<number | null>;
}

// `phasesweep worker` as a child process; resolves once it polls (its "ready" line). `launcher` is an
// argv prefix that runs it elsewhere (e.g. `ip netns exec NS`).
export function spawnWorker(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  launcher: string[] = [],
  readyTimeoutMs = 60_000,
): Promise<WorkerProcess> {
  const argv = [...launcher, process.execPath, BIN, 'worker', '--queue', 'train-cpu', ...args];
  const child = spawn(argv[0], argv.slice(1), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const worker: WorkerProcess = {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker did not get ready within ${readyTimeoutMs / 1000} s:\n${output}`));
    }, readyTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) {
        clearTimeout(timer);
        resolve(worker);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before it was ready:\n${output}`));
    });
  });
}

export function writeSpec(dir: string, name: string, spec: Record<string, unknown>): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify({ name, ...spec }));
  return path;
}

export async function queryRows<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  args: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, args)).rows;
  } finally {
    await client.end();
  }
}

// Results stored for a sweep's cells (whichever sweep trained them).
export async function resultCount(url: string, sweepId: string): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    url,
    `SELECT count(*)::int AS n FROM sweep_cells c JOIN results r ON r.cell_key = c.cell_key WHERE c.sweep_id = $1`,
    [sweepId],
  );
  return rows[0].n;
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The queues a waiting command said nobody polls, naming `--queue trainQueue` as the worker to start.
export function missingQueues(stderr: string, trainQueue: string): string[] {
  const message = new RegExp(
    `no worker is polling task queue (\\S+): start one with phasesweep worker --queue ${trainQueue}`,
    'g',
  );
  return [...stderr.matchAll(message)].map((m) => m[1]).sort();
}

// A command left waiting with no worker: within 10 s it names both queues nobody polls (the sweeps'
// and `trainQueue`), and it keeps waiting.
export async function namesBothQueues(command: CliChild, what: string, trainQueue: string): Promise<void> {
  await waitFor(
    `the no-worker messages from ${what}`,
    async () => missingQueues(command.stderr(), trainQueue).length === 2,
    10_000,
  );
  assert.deepEqual(missingQueues(command.stderr(), trainQueue), ['phasesweep-sweeps', trainQueue]);
  assert.ok(command.running(), `${what} keeps waiting`);
}
