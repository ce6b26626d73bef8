// The trainer's public surface: everything other layers use comes from here. Training loads tfjs (about
// a second), so it is imported on first use: modules that only validate, key or plan cells (sweep/, the
// CLI's start-up) import this module without loading tfjs.
import type * as Backend from './backend.ts';
import type * as Train from './train.ts';

export { BACKEND_NAMES, BackendUnavailableError, type BackendName } from './backend-names.ts';
export type { CellResult, CurvePoint, TrainOptions } from './types.ts';
export { pretrainKey } from './grouping.ts';
export { TRAINER_VERSION } from './version.ts';
export * from './params.ts';
export {
  batchKey,
  cellParamsSchema,
  COMMAND_METHOD,
  isCommandCell,
  isMethod,
  METHOD,
  methodNames,
  methodOf,
  METHODS,
  methodsWith,
  PARAM_NAMES,
  parseCellParams,
  registerMethod,
  untrainedMethods,
  workOf,
  type CellParams,
  type CellParamsInput,
  type Method,
} from './methods/index.ts';
export type { TrainContext, TrainerMethod } from './methods/method.ts';
export {
  COMMAND_RESERVED_PARAMS,
  storedCommandParams,
  userParams,
  type CommandIdentityParams,
  type CommandParams,
} from './methods/command.ts';
export {
  isResultMetric,
  METRIC_PROPERTIES,
  metricProperties,
  RESULT_METRICS,
  type MetricName,
  type MetricProperties,
  type ResultMetric,
} from './result-metrics.ts';
export { PHASES, emptyPhaseTimes, type Phase, type PhaseTimes } from './phase-clock.ts';
export { subnormalSlowdown } from './subnormal-probe.ts';
export { Rng } from './random.ts';

export const initBackend: typeof Backend.initBackend = async (...args) =>
  (await import('./backend.ts')).initBackend(...args);
export const trainCells: typeof Train.trainCells = async (...args) =>
  (await import('./train.ts')).trainCells(...args);
export const trainCell: typeof Train.trainCell = async (...args) =>
  (await import('./train.ts')).trainCell(...args);
export * from './methods/command/index.ts';
