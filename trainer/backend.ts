import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BACKEND_NAMES, BackendUnavailableError, type BackendName } from './backend-names.ts';

// Backend choice (issue 3, item 6). tfjs-node(-gpu) download libtensorflow at install time, which is
// impossible on offline machines, so they are optional: imported dynamically when a host has them.
// 'js' is not a tfjs backend: it is the fused plain-TypeScript CPU path (fused-*.ts), faster than any
// tfjs CPU backend on these small per-cell programs, so 'auto' uses it whenever no GPU is visible. The
// tfjs backends stay available by name as the reference implementation.

// PROD silences tfjs's console advice to install tfjs-node, which would otherwise interleave with output.
tf.env().set('PROD', true);

let current: Promise<string> | null = null;
let currentRequest: BackendName | null = null;

export function requestedBackend(name?: BackendName): BackendName {
  const chosen = name ?? (process.env.PHASESWEEP_BACKEND as BackendName | undefined) ?? 'auto';
  if (!BACKEND_NAMES.includes(chosen)) {
    const err = new BackendUnavailableError(
      `unknown backend '${chosen}' (from ${name ? '--backend' : 'PHASESWEEP_BACKEND'}); expected one of ${BACKEND_NAMES.join(', ')}`,
    );
    (err as { badInput?: boolean }).badInput = true;
    throw err;
  }
  return chosen;
}

async function importOptional(pkg: string): Promise<boolean> {
  try {
    // A variable specifier keeps TypeScript and bundlers from requiring the package to exist.
    const specifier: string = pkg;
    await import(specifier);
    return true;
  } catch {
    return false;
  }
}

async function useNode(pkg: string): Promise<string | null> {
  if (!(await importOptional(pkg))) return null;
  if (!(await tf.setBackend('tensorflow'))) return null;
  return 'node';
}

async function useNodeGpu(): Promise<string | null> {
  if (!(await importOptional('@tensorflow/tfjs-node-gpu'))) return null;
  if (!(await tf.setBackend('tensorflow'))) return null;
  // tfjs-node-gpu silently runs on the CPU when CUDA finds no device; only call it node-gpu when it does.
  const gpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice;
  return gpu === false ? null : 'node-gpu';
}

async function useWasm(): Promise<string | null> {
  const dir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  setWasmPaths(join(dir, '/'));
  try {
    return (await tf.setBackend('wasm')) ? 'wasm' : null;
  } catch {
    return null;
  }
}

async function useCpu(): Promise<string | null> {
  return (await tf.setBackend('cpu')) ? 'cpu' : null;
}

const loaders: Record<Exclude<BackendName, 'auto'>, () => Promise<string | null>> = {
  'node-gpu': useNodeGpu,
  node: () => useNode('@tensorflow/tfjs-node'),
  wasm: useWasm,
  cpu: useCpu,
  js: async () => 'js',
};

const packages: Record<Exclude<BackendName, 'auto'>, string> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu (with a visible CUDA GPU)',
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
  js: 'the built-in TypeScript path',
};

async function select(name: BackendName): Promise<string> {
  if (name !== 'auto') {
    const got = await loaders[name]();
    if (got === null) {
      throw new BackendUnavailableError(
        `backend '${name}' is not available: ${packages[name]} could not be loaded on this host`,
      );
    }
    return got;
  }
  return (await useNodeGpu()) ?? 'js';
}

/** Idempotent per requested name; returns the tfjs backend actually in use. */
export async function initBackend(name?: BackendName): Promise<string> {
  const wanted = requestedBackend(name);
  if (current === null || currentRequest !== wanted) {
    currentRequest = wanted;
    current = select(wanted);
    current.catch(() => {
      current = null;
      currentRequest = null;
    });
  }
  const got = await current;
  if (got !== 'js') await tf.ready();
  return got;
}

let fallback: Promise<string> | null = null;

/** A tfjs CPU backend for the programs the 'js' path does not cover; the name of the one in use. */
export function tfjsFallback(): Promise<string> {
  fallback ??= (async () => {
    const got = (await useWasm()) ?? (await useCpu());
    if (got === null) throw new BackendUnavailableError('no tfjs CPU backend could be initialised');
    await tf.ready();
    return got;
  })();
  return fallback;
}
