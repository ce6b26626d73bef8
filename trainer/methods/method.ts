import type { z } from 'zod';
import type { ResultMetric } from '../result-metrics.ts';
import type { CellResult, TrainOptions } from '../types.ts';

/** What a method's `train` gets besides its cells. */
export interface TrainContext {
  opts: TrainOptions;
  /** the compute backend, initialised on first call (a method that computes nothing never loads it) */
  backend: () => Promise<string>;
  /** progress within this call, 0..1 */
  report: (fraction: number) => void;
}

/**
 * A training method: everything the rest of phasesweep knows about it. One module per method
 * (trainer/methods/<name>.ts) implements it, and the registry (index.ts) lists it once.
 */
export interface TrainerMethod<Params extends { method: string }> {
  name: Params['method'];
  /** its parameters: one member of the discriminated union on `method` */
  schema: z.ZodObject;
  /** part of its cells' keys: bump it whenever a change can alter any of its outcomes */
  version: string;
  /** whether it trains a model: the results of one that does not are never drawn as outcomes */
  trains: boolean;
  /** the metrics its results carry (the others are null) */
  metrics: readonly ResultMetric[];
  /** whether a parameter reaches its outcome: the others are set to their defaults in a cell */
  uses: (name: string) => boolean;
  /** the cell with every parameter that cannot change its outcome set to one value */
  normalize: (params: Params) => Params;
  /** what its cell key hashes (of normalised parameters): same value, same outcome */
  keyOf: (params: Params) => unknown;
  /** the fields that fix the tensor shapes and the training loop: cells that agree train as one batch */
  shape: (params: Params) => Record<string, unknown>;
  /** the coordinates of the planner's group of a cell: groups are cut into batches */
  group: (params: Params) => Record<string, unknown>;
  /** the smallest piece a batch is cut into: the cells one computation trains (a shared data set) */
  unitKey: (params: Params) => string;
  /** cells with the same key are trained together in one call of `train` */
  batchKey: (params: Params) => string;
  /** rough relative cost of a cell, for progress and for balancing threads */
  work: (params: Params) => number;
  /** results in input order, of cells that share one batchKey */
  train: (cells: Params[], ctx: TrainContext) => Promise<CellResult[]>;
}
