// The backend names alone, without tfjs: the CLI lists them in its help and validates options with them.
export type BackendName = 'auto' | 'node-gpu' | 'node' | 'wasm' | 'cpu' | 'js';
export const BACKEND_NAMES: readonly BackendName[] = ['auto', 'node-gpu', 'node', 'wasm', 'cpu', 'js'];

// Thrown when a requested backend cannot be loaded on this host.
export class BackendUnavailableError extends Error {}
