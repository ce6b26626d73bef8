// The pure parts of `method: command`: the protocol, how an attempt's ending is judged, the cell-key
// parts and GPU slots. Running processes needs the OS and lives in workers/command/.
export * from './protocol.ts';
export * from './outcome.ts';
export * from './key-parts.ts';
export * from './gpus.ts';
