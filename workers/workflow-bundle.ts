import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { phasesweepHome } from '../infra/local/home.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOWS_PATH = join(ROOT, 'workflows', 'index.ts');
// The SDK's version (and every other package webpack pulls in) is pinned by the lock file.
const LOCK_FILE = 'package-lock.json';
// webpack names each bundled module in a comment: /***/ "./sweep/ids.ts":
const MODULE_ID = /\/\*\*\*\/ "\.\/([^"]+)"/g;

interface CachedBundle {
  code: string;
  inputs: Record<string, string>;
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

async function digest(relativePath: string): Promise<string | undefined> {
  try {
    return createHash('sha256')
      .update(await readFile(join(ROOT, relativePath)))
      .digest('hex');
  } catch {
    return undefined;
  }
}

function projectModules(code: string): string[] {
  const ids = [...code.matchAll(MODULE_ID)].map((match) => match[1]);
  return [...new Set(ids.filter((id) => !id.startsWith('node_modules/')))].sort();
}

async function stillValid(cached: CachedBundle): Promise<boolean> {
  const paths = Object.keys(cached.inputs);
  if (!paths.includes(LOCK_FILE) || paths.length < 2) return false;
  const now = await Promise.all(paths.map(digest));
  return paths.every((path, i) => now[i] === cached.inputs[path]);
}

// webpack takes about a second at every worker start (and `run` starts one), so the bundle is kept in
// $PHASESWEEP_HOME/cache and reused while every project file inside it and the lock file are unchanged
// (their hashes are stored with it). The cache is an optimisation only: any trouble reading or writing
// it means bundling as usual.
export async function cachedWorkflowBundle(cacheDir: string): Promise<WorkflowBundle> {
  const file = join(cacheDir, 'workflow-bundle.json');
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as CachedBundle;
    if (await stillValid(cached)) return { code: cached.code };
  } catch {
    // no usable cache
  }
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: quietBundlerLogger,
    // webpack names modules relative to its context, by default the working folder: from any other folder
    // than the project's no module id would name a project file, and the bundle would never be cached.
    webpackConfigHook: (config) => ({ ...config, context: ROOT }),
  });
  const paths = [...projectModules(code), LOCK_FILE];
  const hashes = await Promise.all(paths.map(digest));
  if (hashes.every((h) => h !== undefined) && paths.length > 1) {
    const inputs = Object.fromEntries(paths.map((path, i) => [path, hashes[i]!]));
    try {
      await mkdir(cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ code, inputs } satisfies CachedBundle));
      await rename(tmp, file);
    } catch {
      // a read-only home: bundle again next time
    }
  }
  return { code };
}

let bundle: Promise<WorkflowBundle> | undefined;

// Once per process however many workers it starts.
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= cachedWorkflowBundle(join(phasesweepHome(), 'cache'));
  return bundle;
}
