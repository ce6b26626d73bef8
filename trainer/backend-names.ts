// The backend names alone, without tfjs: the CLI lists them in its help and validates options with them.
export const BACKEND_NAMES = ['auto', 'node-gpu', 'node', 'wasm', 'cpu', 'js'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

// Thrown when a requested backend cannot be loaded on this host.
export class BackendUnavailableError extends Error {}
