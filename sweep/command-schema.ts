import { z } from 'zod';
import { DURATION_GRAMMAR, durationMs } from './duration.ts';

// The `command:` section of a spec (`method: command`): how to run the user's own trainer. It sits
// beside `refine:` in the spec and its durations use the one grammar of sweep/duration.ts, so it lives
// here rather than in trainer/ (which may import nothing of ours).

// Variables the protocol sets itself: listing them would let the spec contradict the runner.
export const RESERVED_ENV = /^(PHASESWEEP_|CUDA_VISIBLE_DEVICES$|CUDA_DEVICE_ORDER$)/;

const duration = z.string({ error: `expected ${DURATION_GRAMMAR}` }).transform((text, ctx) => {
  const ms = durationMs(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected ${DURATION_GRAMMAR}, got ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return ms;
});

const nonEmpty = (what: string) =>
  z.string({ error: `expected ${what} (a string)` }).min(1, `expected ${what}, got an empty string`);

const uniqueList = (item: z.ZodType<string>, what: string) =>
  z
    .array(item, { error: `expected a list of ${what}` })
    .min(1, `expected at least one of ${what}`)
    .refine((list) => new Set(list).size === list.length, `${what} must not repeat`);

const metricName = z
  .string({ error: 'expected a metric name' })
  .regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'expected a metric name of letters, digits, _ and .');

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const DEFAULT_GRACE = '10s';

export const commandSchema = z.strictObject(
  {
    argv: z
      .array(nonEmpty('a program or argument'), { error: 'expected a list such as [python3, train.py]' })
      .min(1, 'expected at least the program to run'),
    cwd: nonEmpty('a folder').default('.'),
    metrics: uniqueList(metricName, 'metric names'),
    code: uniqueList(nonEmpty('a file or folder'), 'files or folders').optional(),
    env: z
      .record(z.string(), z.string({ error: 'expected a string value (quote numbers: "1")' }), {
        error: 'expected a mapping of variable names to strings',
      })
      .superRefine((env, ctx) => {
        for (const name of Object.keys(env)) {
          if (!ENV_NAME.test(name))
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: 'expected a name of letters, digits and _',
            });
          else if (RESERVED_ENV.test(name))
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: 'is set by phasesweep itself (PHASESWEEP_*, CUDA_VISIBLE_DEVICES, CUDA_DEVICE_ORDER)',
            });
        }
      })
      .default({}),
    timeout: duration.prefault('1h'),
    stall_timeout: duration.optional(),
    grace: duration.prefault(DEFAULT_GRACE),
    persistent: z.boolean({ error: 'expected true or false' }).default(false),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? 'expected a mapping with argv, metrics (and optionally cwd, code, env, timeouts, persistent)'
        : undefined,
  },
);

export type CommandSection = z.output<typeof commandSchema>;
