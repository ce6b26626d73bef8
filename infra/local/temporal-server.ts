import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkTemporal } from './health.ts';
import { isOurProcess, stopProcess } from './processes.ts';
import { tailOf } from './log-tail.ts';

export function temporalDbFile(home: string): string {
  return join(home, 'temporal.db');
}

export interface TemporalServerOptions {
  binary: string;
  port: number;
  uiPort: number;
  namespace: string;
}

// The dev server keeps workflows in a SQLite file, so history survives down/up. Detached with its own
// session so it outlives the CLI process that started it.
export async function startTemporal(home: string, opts: TemporalServerOptions): Promise<number> {
  const dbFile = temporalDbFile(home);
  const logFile = join(home, 'temporal.log');
  const logFd = openSync(logFile, 'a', 0o644);
  const namespaces = opts.namespace === 'default' ? ['default'] : ['default', opts.namespace];
  const child = spawn(
    opts.binary,
    [
      'server',
      'start-dev',
      '--db-filename',
      dbFile,
      '--ip',
      '127.0.0.1',
      '--port',
      String(opts.port),
      '--ui-port',
      String(opts.uiPort),
      ...namespaces.flatMap((ns) => ['--namespace', ns]),
      '--log-level',
      'warn',
      // One partition per task queue: on a single host partitions buy nothing, and with one the
      // backlog is handed out in the order the workflow scheduled it (longest batches first).
      '--dynamic-config-value',
      'matching.numTaskqueueReadPartitions=1',
      '--dynamic-config-value',
      'matching.numTaskqueueWritePartitions=1',
    ],
    { detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  child.unref();
  const pid = child.pid!;
  const address = `127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (!isOurProcess(pid, dbFile))
      throw new Error(`the Temporal dev server exited during start-up; ${tailOf(logFile)}`);
    try {
      await checkTemporal(address, opts.namespace, 2_000);
      return pid;
    } catch (err) {
      if (Date.now() > deadline) {
        await stopProcess(pid, dbFile, 'SIGTERM');
        throw new Error(`the Temporal dev server did not answer within 90 s: ${(err as Error).message}`);
      }
    }
    await sleep(250);
  }
}

export async function stopTemporal(home: string, pid: number | undefined): Promise<void> {
  if (pid) await stopProcess(pid, temporalDbFile(home), 'SIGTERM');
}
