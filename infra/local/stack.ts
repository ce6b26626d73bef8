import { ensureHome } from './home.ts';
import { choosePort, freePort, pinned, retryOnPortClash } from './ports.ts';
import { readState, writeState, statePath, type StackState } from './state.ts';
import {
  dataDir,
  databaseUrl,
  generatePassword,
  runningPostmaster,
  startPostgres,
  stopPostgres,
} from './postgres.ts';
import { startTemporal, stopTemporal, temporalDbFile } from './temporal-server.ts';
import { resolveTemporalBinary } from './temporal-binary.ts';
import { isOurProcess } from './processes.ts';

export interface LocalStackOptions {
  postgres: boolean;
  temporal: boolean;
  namespace: string;
  // Skips resolution (test stacks reuse one binary instead of resolving per home).
  temporalBinary?: string;
  // Ignore PHASESWEEP_PG_PORT / _PASSWORD / TEMPORAL_*PORT: test stacks take free ports and fresh secrets.
  isolated?: boolean;
  log?: (line: string) => void;
}

export interface LocalServices {
  databaseUrl?: string;
  temporalAddress?: string;
  uiUrl?: string;
}

function postgresRunning(home: string, state: StackState): boolean {
  return isOurProcess(state.postgres?.pid, dataDir(home));
}

function temporalRunning(home: string, state: StackState): boolean {
  return isOurProcess(state.temporal?.pid, temporalDbFile(home));
}

function servicesFrom(
  state: StackState,
  which: { postgres: boolean; temporal: boolean },
  isolated = false,
): LocalServices {
  const services: LocalServices = {};
  if (which.postgres && state.postgres) {
    const password = (!isolated && process.env.PHASESWEEP_PG_PASSWORD) || state.postgres.password;
    services.databaseUrl = databaseUrl(state.postgres.port, password);
  }
  if (which.temporal && state.temporal) {
    services.temporalAddress = `127.0.0.1:${state.temporal.port}`;
    services.uiUrl = `http://127.0.0.1:${state.temporal.uiPort}`;
  }
  return services;
}

// Idempotent: services whose recorded pid is alive (and really ours) are reused; stale pids are ignored.
export async function startLocalStack(home: string, opts: LocalStackOptions): Promise<LocalServices> {
  const log = opts.log ?? (() => undefined);
  ensureHome(home);
  const state = readState(home);

  if (opts.postgres && !postgresRunning(home, state)) {
    const configuredPassword = opts.isolated ? undefined : process.env.PHASESWEEP_PG_PASSWORD;
    const password = configuredPassword || state.postgres?.password || generatePassword();
    const orphan = runningPostmaster(dataDir(home));
    if (orphan) {
      state.postgres = { port: orphan.port, password, pid: orphan.pid };
    } else {
      const pgPortEnv = opts.isolated ? undefined : 'PHASESWEEP_PG_PORT';
      const { port, pid } = await retryOnPortClash(pinned(pgPortEnv), async (fresh) => {
        const port = fresh ? await freePort() : await choosePort(pgPortEnv, state.postgres?.port);
        log(`starting Postgres on 127.0.0.1:${port} (data in ${dataDir(home)})`);
        return { port, pid: await startPostgres(home, port, password) };
      });
      state.postgres = { port, password, pid };
    }
    writeState(home, state);
  }

  if (opts.temporal && !temporalRunning(home, state)) {
    const binary = opts.temporalBinary ?? (await resolveTemporalBinary({ home, log }));
    const portEnv = opts.isolated ? undefined : 'PHASESWEEP_TEMPORAL_PORT';
    const uiPortEnv = opts.isolated ? undefined : 'PHASESWEEP_TEMPORAL_UI_PORT';
    const { port, uiPort, pid } = await retryOnPortClash(
      pinned(portEnv) || pinned(uiPortEnv),
      async (fresh) => {
        const port = fresh ? await freePort() : await choosePort(portEnv, state.temporal?.port);
        const uiPort = fresh ? await freePort() : await choosePort(uiPortEnv, state.temporal?.uiPort);
        log(`starting the Temporal dev server on 127.0.0.1:${port} (${binary})`);
        const pid = await startTemporal(home, { binary, port, uiPort, namespace: opts.namespace });
        return { port, uiPort, pid };
      },
    );
    state.temporal = { port, uiPort, namespace: opts.namespace, binary, pid };
    writeState(home, state);
  }
  return servicesFrom(state, opts, opts.isolated);
}

export class LocalStackNotRunningError extends Error {}

// For commands that need the stack but must not start it.
export function runningLocalStack(
  home: string,
  which: { postgres: boolean; temporal: boolean },
): LocalServices {
  const state = readState(home);
  const down = [
    which.postgres && !postgresRunning(home, state) ? 'Postgres (DATABASE_URL is not set)' : '',
    which.temporal && !temporalRunning(home, state) ? 'Temporal (TEMPORAL_ADDRESS is not set)' : '',
  ].filter(Boolean);
  if (down.length > 0) {
    throw new LocalStackNotRunningError(
      `the local stack in ${home} is not running: ${down.join(', ')}. Run \`phasesweep up\` first, or set DATABASE_URL and TEMPORAL_ADDRESS.`,
    );
  }
  return servicesFrom(state, which);
}

export async function stopLocalStack(home: string): Promise<string[]> {
  const state = readState(home);
  const stopped: string[] = [];
  if (temporalRunning(home, state)) stopped.push('Temporal');
  await stopTemporal(home, state.temporal?.pid);
  if (postgresRunning(home, state) || runningPostmaster(dataDir(home))) stopped.push('Postgres');
  await stopPostgres(home, state.postgres?.pid);
  // Ports and the password stay, so the next `up` gives the same URLs.
  if (state.postgres) delete state.postgres.pid;
  if (state.temporal) delete state.temporal.pid;
  if (state.postgres || state.temporal) writeState(home, state);
  return stopped;
}

export interface LocalStackInfo {
  stateFile: string;
  postgres?: { pid?: number; running: boolean };
  temporal?: { pid?: number; running: boolean; binary: string };
}

export function localStackInfo(home: string): LocalStackInfo {
  const state = readState(home);
  return {
    stateFile: statePath(home),
    postgres: state.postgres && { pid: state.postgres.pid, running: postgresRunning(home, state) },
    temporal: state.temporal && {
      pid: state.temporal.pid,
      running: temporalRunning(home, state),
      binary: state.temporal.binary,
    },
  };
}

export function localServices(home: string): LocalServices {
  return servicesFrom(readState(home), { postgres: true, temporal: true });
}
