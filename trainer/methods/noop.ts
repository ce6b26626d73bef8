import { batchKey } from '../grouping.ts';
import { PRETRAIN_ONLY, type CnnParams, type ParamName } from '../params.ts';
import type { CellResult } from '../types.ts';
import { cnnKey, cnnNormalize, cnnSchema, cnnShape } from './cnn.ts';
import type { TrainerMethod } from './method.ts';

// Trains nothing: it exists to measure the orchestration overhead and is labelled as such in every
// result (backend 'noop'). Its cells are the supervised ones', so that a noop sweep plans like a real one.

const name = 'noop';
export type NoopParams = CnnParams<typeof name>;

// Its keys have carried the trainer's version since it existed; nothing it returns depends on it.
const VERSION = '4';

const RESULT: CellResult = {
  test_error: 0,
  test_loss: 0,
  train_loss: 0,
  best_test_error: 0,
  best_step: 0,
  signal_alignment: 0,
  signal_learning: 0,
  noise_memorization: 0,
  pretrain_alignment: null,
  probe_alignment: null,
  linear_probe_error: null,
  head_change: null,
  diverged: false,
  steps: 0,
  backend: name,
  curve: [],
  wall_ms: 0,
};

const uses = (param: string) => !PRETRAIN_ONLY.includes(param as ParamName);

export const noop = {
  name,
  schema: cnnSchema(name),
  version: VERSION,
  trains: false,
  metrics: [],
  uses,
  normalize: (params) => cnnNormalize(params, uses),
  keyOf: (params) => cnnKey(params, VERSION),
  shape: cnnShape,
  group: cnnShape,
  unitKey: (params) => batchKey(params),
  // nothing is computed: every cell is one batch
  batchKey: () => '',
  work: () => 0,
  train: async (cells) => cells.map(() => ({ ...RESULT, curve: [] })),
} as const satisfies TrainerMethod<NoopParams>;
