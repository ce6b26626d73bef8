// The four Temporal services as separate processes of one server binary and one configuration
// (test/cluster/temporal/cluster.yaml, filled in from the environment).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { tailOf } from '../../../infra/local/log-tail.ts';

// Started in this order, one at a time: on a fresh database, services started together race to
// initialise the cluster metadata and history/matching exit on a duplicate key.
export const SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type Service = (typeof SERVICES)[number];

const PORT_OFFSET: Record<Service, number> = { frontend: 0, history: 1, matching: 2, worker: 3 };
// Generous: on two shared cores a service takes from 1 s to a minute to listen.
const START_TIMEOUT_MS = 180_000;
const CONFIG_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface TemporalServiceSettings {
  serverBinary: string;
  bindIp: string;
  portBase: number;
  postgres: { host: string; port: number; user: string; password: string };
  dynamicConfigFile: string;
  logDir: string;
}

export interface ServiceProcess {
  service: Service;
  pid(): number | undefined;
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
  log(): string;
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

export function serviceEnv(settings: TemporalServiceSettings): NodeJS.ProcessEnv {
  return {
    TEMPORAL_BIND_IP: settings.bindIp,
    TEMPORAL_PORT_BASE: String(settings.portBase),
    TEMPORAL_PG_HOST: settings.postgres.host,
    TEMPORAL_PG_PORT: String(settings.postgres.port),
    TEMPORAL_PG_USER: settings.postgres.user,
    TEMPORAL_PG_PASSWORD: settings.postgres.password,
    TEMPORAL_DYNAMIC_CONFIG: settings.dynamicConfigFile,
  };
}

export function temporalService(settings: TemporalServiceSettings, service: Service): ServiceProcess {
  const logFile = join(settings.logDir, `temporal-${service}.log`);
  // The membership port: the worker service opens no gRPC port of its own.
  const port = settings.portBase + 100 + PORT_OFFSET[service];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const signal = async (sig: NodeJS.Signals) => {
    if (running()) child!.kill(sig);
    await exited;
  };
  return {
    service,
    pid: () => (running() ? child!.pid : undefined),
    log: () => tailOf(logFile),
    async start() {
      if (running()) throw new Error(`Temporal ${service} is already running`);
      const fd = openSync(logFile, 'a');
      const args = ['--root', CONFIG_ROOT, '--config', 'temporal', '--env', 'cluster', '--allow-no-auth'];
      child = spawn(settings.serverBinary, [...args, 'start', '--service', service], {
        env: { ...process.env, ...serviceEnv(settings) },
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
      const proc = child;
      // Should the test process die before its teardown, the service must not outlive it.
      const orphanGuard = () => proc.kill('SIGKILL');
      process.on('exit', orphanGuard);
      exited = new Promise((resolve) =>
        proc.once('exit', () => {
          process.off('exit', orphanGuard);
          resolve();
        }),
      );
      // Joining the membership ring is all one service can show alone; the cluster checks the whole with a
      // workflow start.
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!(await portOpen(settings.bindIp, port))) {
        if (!running()) throw new Error(`Temporal ${service} exited during start-up; ${tailOf(logFile)}`);
        if (Date.now() > deadline) {
          await signal('SIGKILL');
          throw new Error(
            `Temporal ${service} did not listen on ${port} within ${START_TIMEOUT_MS / 1000} s; ${tailOf(logFile)}`,
          );
        }
        await sleep(200);
      }
    },
    kill: () => signal('SIGKILL'),
    async stop() {
      if (!running()) return;
      const killer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await signal('SIGTERM');
      clearTimeout(killer);
    },
  };
}
