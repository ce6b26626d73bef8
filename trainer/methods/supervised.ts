import { batchKey } from '../grouping.ts';
import { PRETRAIN_ONLY, type CnnParams, type ParamName } from '../params.ts';
import { TRAINER_VERSION } from '../version.ts';
import { cnnKey, cnnNormalize, cnnSchema, cnnShape, fineTuneWork } from './cnn.ts';
import type { TrainerMethod } from './method.ts';

// The two-layer ReLU^q CNN trained by gradient descent on the labelled samples alone (paper-spec 1.1).
// The default method: a cell that names none is one of these.

const name = 'supervised';
export type SupervisedParams = CnnParams<typeof name>;

const uses = (param: string) => !PRETRAIN_ONLY.includes(param as ParamName);

export const supervised = {
  name,
  schema: cnnSchema(name, { isDefault: true }),
  version: TRAINER_VERSION,
  trains: true,
  metrics: [
    'test_error',
    'best_test_error',
    'test_loss',
    'train_loss',
    'signal_alignment',
    'signal_learning',
    'noise_memorization',
    'best_step',
  ],
  uses,
  normalize: (params) => cnnNormalize(params, uses),
  keyOf: (params) => cnnKey(params, TRAINER_VERSION),
  shape: cnnShape,
  group: cnnShape,
  unitKey: (params) => batchKey(params),
  batchKey: (params) => batchKey(params),
  work: fineTuneWork,
  train: async (cells, ctx) => (await import('../train-cnn.ts')).trainCnnGroup(cells, ctx, false),
} as const satisfies TrainerMethod<SupervisedParams>;
