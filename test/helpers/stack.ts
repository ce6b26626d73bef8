import { spawn } from 'node:child_process';
import { after, before } from 'node:test';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoints } from '../../infra/local/endpoints.ts';
import { startLocalStack, stopLocalStack } from '../../infra/local/stack.ts';
import { resolveTemporalBinary } from '../../infra/local/temporal-binary.ts';
import { migrate } from '../../store/migrate.ts';
import { stackEnv } from './sweeps.ts';

// Installs happen at most once, into the user's home or ~/.cache/phasesweep (what .ci/run fills),
// never into a test's throwaway home.
let binary: Promise<string> | undefined;
export function temporalBinary(): Promise<string> {
  const cacheHome = process.env.PHASESWEEP_HOME || join(homedir(), '.cache', 'phasesweep');
  binary ??= resolveTemporalBinary({ home: cacheHome });
  return binary;
}

// An isolated, migrated stack (fresh home, free ports, own password) for one integration test file.
export async function startTestStack(): Promise<{
  endpoints: Endpoints;
  home: string;
  stop(): Promise<void>;
}> {
  const home = mkdtempSync(join(tmpdir(), 'phasesweep-test-'));
  // mkdtemp makes it 0700; as root, Postgres runs as `postgres` and must get in.
  chmodSync(home, 0o755);
  const stop = async () => {
    await stopLocalStack(home);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const services = await startLocalStack(home, {
      postgres: true,
      temporal: true,
      namespace: 'default',
      temporalBinary: await temporalBinary(),
      isolated: true,
    });
    const endpoints: Endpoints = {
      databaseUrl: services.databaseUrl!,
      temporalAddress: services.temporalAddress!,
      namespace: 'default',
      uiUrl: services.uiUrl,
      local: { postgres: true, temporal: true },
    };
    await migrate(endpoints.databaseUrl);
    return { endpoints, home, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export type TestStack = Awaited<ReturnType<typeof startTestStack>>;

export interface StackSession {
  readonly stack: TestStack;
  // Points the CLI and workers at the stack; never coloured (tests read the output).
  readonly env: NodeJS.ProcessEnv;
  // A temporary folder for the file's specs and outputs.
  readonly dir: string;
  // Run after the file's tests, before the stack stops (last registered first): workers, pools.
  onStop(stop: () => Promise<unknown> | undefined): void;
}

// One integration test file's stack, as its before/after hooks: started (with its env and a temporary
// folder) before the file's tests, then `setup` (the file's fixtures); stopped and removed after them.
// Read the fields inside tests, `setup` or `onStop` functions. The file's fixtures go in `setup`, not in
// a hook of its own: Node 20 runs top-level before hooks concurrently, not one after the other.
export function useTestStack(
  name: string,
  setup: (session: StackSession) => Promise<void> = async () => {},
): StackSession {
  const stops: (() => Promise<unknown> | undefined)[] = [];
  let started: { stack: TestStack; env: NodeJS.ProcessEnv } | undefined;
  let dir: string | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useTestStack: ${what} read before the stack started`);
    return value;
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), `phasesweep-${name}-`));
    const stack = await startTestStack();
    started = { stack, env: { ...stackEnv(stack.endpoints, stack.home), NO_COLOR: '1' } };
    await setup(session);
  });
  after(async () => {
    for (const stop of stops.reverse()) await stop();
    await started?.stack.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const session: StackSession = {
    get stack() {
      return ready(started, 'stack').stack;
    },
    get env() {
      return ready(started, 'env').env;
    },
    get dir() {
      return ready(dir, 'dir');
    },
    onStop(stop) {
      stops.push(stop);
    },
  };
  return session;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Runs the real `phasesweep` bin in a child process with the given environment (merged over ours).
// The timeout turns a hang into a failure rather than a stuck suite.
export async function runPhasesweep(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
  bin = fileURLToPath(new URL('../../bin/phasesweep.js', import.meta.url)),
): Promise<CliRun> {
  const child = startPhasesweep(args, env, bin);
  const code = await child.exited(timeoutMs);
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

export interface CliChild {
  stdout(): string;
  stderr(): string;
  running(): boolean;
  // The exit code; rejects (and kills the command) when it has not ended within timeoutMs.
  exited(timeoutMs: number): Promise<number | null>;
  kill(): void;
}

// The real `phasesweep` bin left running, for commands that wait while the test changes the world.
export function startPhasesweep(
  args: string[],
  env: NodeJS.ProcessEnv,
  bin = fileURLToPath(new URL('../../bin/phasesweep.js', import.meta.url)),
): CliChild {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<number | null>((resolveClose) => child.on('close', resolveClose));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    running: () => child.exitCode === null && child.signalCode === null,
    kill,
    exited: (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          kill();
          reject(
            new Error(
              `phasesweep ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`,
            ),
          );
        }, timeoutMs);
      });
      return Promise.race([closed, late]).finally(() => clearTimeout(timer));
    },
  };
}
