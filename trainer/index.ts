// The trainer's public surface: everything other layers use comes from here.
export { initBackend, BACKEND_NAMES, BackendUnavailableError } from './backend.ts';
export type { BackendName } from './backend.ts';
export type { CellResult, CurvePoint, TrainOptions } from './types.ts';
export { trainCells, trainCell, batchKey } from './train.ts';
export { trainCellsParallel, type ParallelOptions } from './parallel.ts';
export { TRAINER_VERSION } from './version.ts';
export * from './params.ts';
