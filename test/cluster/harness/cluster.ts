// A Temporal cluster as it runs on real hosts, for the cluster scenarios: Temporal's own Postgres with
// the schema applied by the server's SQL tool, the four services as separate processes started one at
// a time (history first), a `default` namespace, readiness proven by a real workflow start, a separate
// results Postgres, and worker hosts in network namespaces (see worker-network.ts).
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomInt } from 'node:crypto';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { isPortFree } from '../../../infra/local/ports.ts';
import { isOurProcess } from '../../../infra/local/processes.ts';
import {
  PG_DATABASE,
  PG_USER,
  dataDir,
  generatePassword,
  startPostgres,
  stopPostgres,
} from '../../../infra/local/postgres.ts';
import { temporalBinary } from '../../helpers/stack.ts';
import { spawnWorker, type WorkerProcess } from '../../helpers/sweeps.ts';
import { SERVICES, temporalService, type Service, type ServiceProcess } from './temporal-services.ts';
import { makeWorkerNetwork, type WorkerNetwork } from './worker-network.ts';

// A worker bundles its workflows and loads the trainer before it is ready: minutes on a loaded machine.
const WORKER_READY_MS = 180_000;
const SCRIPTS = fileURLToPath(new URL('..', import.meta.url));

export interface ClusterOptions {
  hosts?: number;
  // Task-queue partitions (the server's default is 4).
  partitions?: number;
  log?: (line: string) => void;
}

export interface WorkerHost {
  index: number;
  // The worker process running on this host, if any.
  worker?: WorkerProcess;
  startWorker(args?: string[], env?: NodeJS.ProcessEnv): Promise<WorkerProcess>;
  cut(): void;
  restore(): void;
}

export interface Cluster {
  // For the CLI on this machine: DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, PHASESWEEP_HOME.
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  temporalAddress: string;
  network: WorkerNetwork;
  services: Record<Service, ServiceProcess>;
  resultsPostgres: { stop(): Promise<void>; start(): Promise<void> };
  hosts: WorkerHost[];
  dir: string;
  // Resolves once a fresh workflow start succeeds (retried for up to two minutes).
  proveWorkflowStart(): Promise<void>;
  // Temporal's Postgres and the results Postgres (their postmasters), while running.
  postgresPids(): number[];
  stop(): Promise<void>;
}

// SIGTERM, and SIGKILL if a graceful stop takes longer than 20 s (a cut-off host cannot say goodbye).
export async function stopWorker(worker: WorkerProcess): Promise<void> {
  const killer = setTimeout(() => worker.child.kill('SIGKILL'), 20_000);
  await worker.stop();
  clearTimeout(killer);
}

// The server binaries, built once per version into the cache by the script CI runs.
export function temporalServerDir(): string {
  return execFileSync('bash', [join(SCRIPTS, 'build-temporal-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

// Frontend gRPC at base; the other services, membership and HTTP ports at fixed offsets from it.
async function freePortBase(): Promise<number> {
  const offsets = [0, 1, 2, 3, 10, 100, 101, 102, 103];
  for (;;) {
    const base = randomInt(20_000, 30_000);
    const free = await Promise.all(offsets.map((o) => isPortFree(base + o)));
    if (free.every(Boolean)) return base;
  }
}

async function freePgPort(): Promise<number> {
  for (;;) {
    const port = randomInt(30_000, 40_000);
    if (await isPortFree(port)) return port;
  }
}

// Postgres runs detached: should the test process die before its teardown, stop it at once (SIGQUIT).
function guardOrphan(pid: number, home: string): void {
  process.on('exit', () => {
    if (isOurProcess(pid, dataDir(home))) process.kill(pid, 'SIGQUIT');
  });
}

async function withRetry<T>(what: string, attempt: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`${what}: still failing after ${timeoutMs} ms: ${String(err)}`);
      await sleep(1_000);
    }
  }
}

// Readiness is a real workflow start (frontend, namespace, history and persistence all answering),
// terminated at once: nothing polls its queue.
async function proveWorkflowStart(address: string): Promise<void> {
  await withRetry('a workflow start on the cluster', async () => {
    const connection = await Connection.connect({ address, connectTimeout: 5_000 });
    try {
      const client = new Client({ connection, namespace: 'default' });
      const handle = await client.workflow.start('clusterReadiness', {
        taskQueue: 'cluster-readiness',
        workflowId: `cluster-readiness-${Date.now()}`,
      });
      await handle.terminate('readiness probe');
    } finally {
      await connection.close();
    }
  });
}

async function createNamespace(address: string): Promise<void> {
  const cli = await temporalBinary();
  await withRetry('temporal operator namespace create', async () => {
    try {
      execFileSync(cli, ['operator', 'namespace', 'create', '-n', 'default', '--address', address], {
        stdio: 'pipe',
      });
    } catch (err) {
      const stderr = String((err as { stderr?: Buffer }).stderr ?? '');
      if (!/already/i.test(stderr)) throw new Error(stderr || String(err));
    }
  });
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const log = opts.log ?? ((line: string) => console.log(`# cluster: ${line}`));
  const dir = mkdtempSync(join(tmpdir(), 'phasesweep-cluster-'));
  // As root, Postgres runs as `postgres` and must get into its data dirs below this one.
  chmodSync(dir, 0o755);
  const cleanups: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'cluster teardown');
  };
  try {
    const serverDir = temporalServerDir();
    const network = makeWorkerNetwork(opts.hosts ?? 3);
    cleanups.push(() => network.remove());
    if (network.reason) log(`worker hosts run as plain processes: ${network.reason}`);

    const temporalPg = {
      home: join(dir, 'temporal-pg'),
      port: await freePgPort(),
      password: generatePassword(),
    };
    mkdirSync(temporalPg.home, { mode: 0o755 });
    const temporalPgPid = await startPostgres(temporalPg.home, temporalPg.port, temporalPg.password);
    guardOrphan(temporalPgPid, temporalPg.home);
    cleanups.push(() => stopPostgres(temporalPg.home, temporalPgPid));
    execFileSync('bash', [join(SCRIPTS, 'temporal-schema.sh'), serverDir], {
      env: {
        ...process.env,
        SQL_HOST: '127.0.0.1',
        SQL_PORT: String(temporalPg.port),
        SQL_USER: PG_USER,
        SQL_PASSWORD: temporalPg.password,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    log(`Temporal schema applied on Postgres 127.0.0.1:${temporalPg.port}`);

    const dynamicConfigFile = join(dir, 'dynamic-config.yaml');
    const partitions = opts.partitions ?? 4;
    writeFileSync(
      dynamicConfigFile,
      `matching.numTaskqueueReadPartitions:\n  - value: ${partitions}\nmatching.numTaskqueueWritePartitions:\n  - value: ${partitions}\n`,
    );
    const portBase = await freePortBase();
    const settings = {
      serverBinary: join(serverDir, 'server'),
      bindIp: network.serverIp,
      portBase,
      postgres: { host: '127.0.0.1', port: temporalPg.port, user: PG_USER, password: temporalPg.password },
      dynamicConfigFile,
      logDir: dir,
    };
    const services = Object.fromEntries(SERVICES.map((s) => [s, temporalService(settings, s)])) as Record<
      Service,
      ServiceProcess
    >;
    const temporalAddress = `${network.serverIp}:${portBase}`;
    for (const service of SERVICES) {
      const t0 = Date.now();
      cleanups.push(() => services[service].stop());
      await services[service].start();
      log(`Temporal ${service} listening (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      // The worker service runs per-namespace system workflows (schedules among them): the namespace
      // comes first.
      if (service === 'frontend') await createNamespace(temporalAddress);
    }
    await proveWorkflowStart(temporalAddress);
    log(`Temporal frontend ${temporalAddress} starts workflows (${partitions} partitions per task queue)`);

    const results = {
      home: join(dir, 'results-pg'),
      port: await freePgPort(),
      password: generatePassword(),
      pid: undefined as number | undefined,
    };
    mkdirSync(results.home, { mode: 0o755 });
    const listen = network.hostSubnet ? [network.serverIp] : [];
    const resultsPostgres = {
      start: async () => {
        results.pid = await startPostgres(results.home, results.port, results.password, listen);
        guardOrphan(results.pid, results.home);
      },
      stop: () => stopPostgres(results.home, results.pid),
    };
    await resultsPostgres.start();
    cleanups.push(() => resultsPostgres.stop());
    const databaseUrl = `postgres://${PG_USER}:${results.password}@${network.serverIp}:${results.port}/${PG_DATABASE}`;
    if (network.hostSubnet) {
      appendFileSync(
        join(dataDir(results.home), 'pg_hba.conf'),
        `host all all ${network.hostSubnet} scram-sha-256\n`,
      );
      const client = new pg.Client({ connectionString: databaseUrl.replace(network.serverIp, '127.0.0.1') });
      await client.connect();
      await client.query('SELECT pg_reload_conf()');
      await client.end();
    }
    log(`results Postgres ${network.serverIp}:${results.port}`);

    const home = join(dir, 'home');
    mkdirSync(home);
    const env: NodeJS.ProcessEnv = {
      PHASESWEEP_HOME: home,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      PHASESWEEP_BACKEND: 'auto',
    };
    const hosts: WorkerHost[] = Array.from({ length: opts.hosts ?? 3 }, (_, index) => {
      const host: WorkerHost = {
        index,
        async startWorker(args = [], extraEnv = {}) {
          host.worker = await spawnWorker(
            { ...env, ...extraEnv },
            args,
            network.launcher(index),
            WORKER_READY_MS,
          );
          return host.worker;
        },
        cut: () => network.cut(index),
        restore: () => network.restore(index),
      };
      return host;
    });
    cleanups.push(async () => {
      for (const host of hosts) {
        host.restore();
        if (host.worker) await stopWorker(host.worker);
      }
    });
    return {
      env,
      databaseUrl,
      temporalAddress,
      network,
      services,
      resultsPostgres,
      hosts,
      dir,
      proveWorkflowStart: () => proveWorkflowStart(temporalAddress),
      postgresPids: () => [temporalPgPid, results.pid].filter((pid): pid is number => pid !== undefined),
      stop,
    };
  } catch (err) {
    await stop().catch((teardown: unknown) => log(`teardown after a failed start: ${String(teardown)}`));
    throw err;
  }
}
