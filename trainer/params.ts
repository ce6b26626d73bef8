import { z } from 'zod';

// One schema is the single source of the trainer's input contract: types, defaults (paper-spec 6.1 and
// 6.3) and validation messages all come from it. `noop` trains nothing; it exists to measure the
// orchestration overhead and is labelled as such in every result.
export const METHODS = ['supervised', 'simclr', 'noop'] as const;
export type Method = (typeof METHODS)[number];

const positiveInt = z.number().int().positive();
const positive = z.number().finite().positive();

export const cellParamsSchema = z
  .object({
    method: z.enum(METHODS).default('supervised'),
    n_labels: positiveInt.default(16),
    n_unlabeled: positiveInt.default(400),
    snr: z.number().finite().nonnegative().default(0.2),
    seed: z.number().int().nonnegative().default(0),
    d: z.number().int().min(2).default(200),
    m: positiveInt.default(10),
    q: z.number().finite().min(1).default(3),
    sigma0: positive.default(0.01),
    sigma_p: positive.default(1),
    p: z.number().finite().min(0).lt(0.5).default(0),
    lr: positive.default(1),
    steps: z.number().int().nonnegative().default(1000),
    n_test: positiveInt.default(1000),
    pretrain_steps: z.number().int().nonnegative().default(1000),
    pretrain_lr: positive.default(0.05),
    pretrain_init_norm: positive.default(1e-3),
    tau: positive.default(1),
  })
  .strict();

export type CellParamsInput = z.input<typeof cellParamsSchema>;
export type CellParams = z.output<typeof cellParamsSchema>;
export const PARAM_NAMES = Object.keys(cellParamsSchema.shape) as (keyof CellParams)[];

export class TrainerInputError extends Error {
  // The CLI maps errors carrying this flag to exit code 2 (bad input).
  readonly badInput = true;
}

export function parseCellParams(input: unknown): CellParams {
  const parsed = cellParamsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown parameter(s) ${issue.keys.join(', ')}`;
    const where = issue.path.length > 0 ? `parameter '${issue.path.join('.')}'` : 'parameters';
    return `${where}: ${issue.message}`;
  });
  throw new TrainerInputError(`invalid cell parameters: ${problems.join('; ')}`);
}
