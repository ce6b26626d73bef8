import { z } from 'zod';
import { isMethod, methodNames, paramShape, type Method } from '../trainer/index.ts';
import { AXES, type Axis } from './axes.ts';
import { DURATION_GRAMMAR, durationMs, formatDuration } from './duration.ts';
import type { AxisValues } from './values.ts';
import { commandSchema } from './command-schema.ts';
import { TRAIN_QUEUES } from './queues.ts';
import { refineSchema } from './refine-schema.ts';

export const DEFAULT_BATCH_SIZE = 64;
export const DEFAULT_MAX_IN_FLIGHT = 8;
// Far under Temporal's 2,000 pending activities per workflow (platform-notes.md).
export const MAX_IN_FLIGHT_LIMIT = 1000;
export const MAX_BATCH_SIZE = 10_000;
// A day: a batch that goes this long without a heartbeat is lost, not slow.
export const HEARTBEAT_TIMEOUT_RANGE_MS = [1_000, 86_400_000] as const;
export const HEARTBEAT_TIMEOUT_RANGE = `between ${formatDuration(HEARTBEAT_TIMEOUT_RANGE_MS[0])} and ${formatDuration(HEARTBEAT_TIMEOUT_RANGE_MS[1])}`;

export function inHeartbeatTimeoutRange(ms: number): boolean {
  return ms >= HEARTBEAT_TIMEOUT_RANGE_MS[0] && ms <= HEARTBEAT_TIMEOUT_RANGE_MS[1];
}

// A duration of the one grammar; a plain number is seconds, as the field was first documented. Stored as
// seconds, so that `30s` and `30` are the same spec (and hash alike).
const heartbeatTimeout = z
  .union([z.number(), z.string()], { error: `expected ${DURATION_GRAMMAR}` })
  .transform((value, ctx) => {
    const ms = typeof value === 'number' ? value * 1000 : durationMs(value);
    if (ms === undefined || !Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `expected ${DURATION_GRAMMAR}, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    if (!inHeartbeatTimeoutRange(ms)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${HEARTBEAT_TIMEOUT_RANGE}, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return ms / 1000;
  });

const finite = z.number({ error: 'expected a finite number' }).finite('expected a finite number');
const count = z
  .number({ error: 'expected a whole number of values' })
  .int('expected a whole number of values')
  .positive('expected at least 1 value');
const positive = finite.positive('expected a number > 0 (geomspace works in log space)');

// Strings and booleans are for categorical parameters; the trainer's schema of the axis then says
// which values it takes.
const scalarForm = z.union([finite, z.string(), z.boolean()], {
  error: 'expected a finite number, a name or true/false',
});
const listForm = z
  .array(scalarForm, { error: 'expected a list of values' })
  .min(1, 'an axis needs at least one value');
const rangeForm = z.strictObject({
  range: z
    .array(finite, { error: 'expected [start, stop] or [start, stop, step]' })
    .min(2, 'expected [start, stop] or [start, stop, step]')
    .max(3, 'expected [start, stop] or [start, stop, step]')
    .refine((r) => r[2] !== 0, { message: 'the step must not be 0', path: [2] }),
});
const linspaceForm = z.strictObject({
  linspace: z.tuple([finite, finite, count], { error: 'expected [start, stop, count]' }),
});
const geomspaceForm = z.strictObject({
  geomspace: z.tuple([positive, positive, count], { error: 'expected [start, stop, count]' }),
});

const AXIS_FORMS =
  'a number, a name, true/false, a list of them, {range: [start, stop, step?]}, {linspace: [start, stop, count]} ' +
  'or {geomspace: [start, stop, count]}';

// The form is chosen from the value's shape and only that form's errors are reported: a union would
// answer a typo in a geomspace with the errors of all five forms.
function formFor(value: unknown): z.ZodType | undefined {
  if (typeof value === 'number') return finite;
  if (typeof value === 'string' || typeof value === 'boolean') return scalarForm;
  if (Array.isArray(value)) return listForm;
  if (value === null || typeof value !== 'object') return undefined;
  if ('range' in value) return rangeForm;
  if ('linspace' in value) return linspaceForm;
  if ('geomspace' in value) return geomspaceForm;
  return undefined;
}

export const axisValuesSchema = z.custom<AxisValues>().superRefine((value, ctx) => {
  const form = formFor(value);
  if (form === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected ${AXIS_FORMS}` });
    return;
  }
  const parsed = form.safeParse(value);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown key; expected ${AXIS_FORMS}`,
          path: [key],
          params: { atKey: true },
        });
      }
    } else {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as (string | number)[] });
    }
  }
});

const gridShape = Object.fromEntries(AXES.map((axis) => [axis, axisValuesSchema.optional()])) as Record<
  Axis,
  z.ZodOptional<typeof axisValuesSchema>
>;

// A fixed value is checked by the trainer's own schema for that parameter, without its default.
const fixedShape = Object.fromEntries(AXES.map((axis) => [axis, paramShape[axis].unwrap().optional()])) as {
  [A in Axis]: z.ZodOptional<ReturnType<(typeof paramShape)[A]['unwrap']>>;
};

// Names and tags are stored in Postgres and shown verbatim: anything goes except what a UTF-8 text
// column cannot hold (NUL, unpaired surrogates).
function storableString(what: string, max: number) {
  return z
    .string({ error: `expected ${what} as a string` })
    .max(max, `${what} is longer than ${max} characters`)
    .refine((s) => !s.includes('\u0000'), `${what} contains a NUL character`)
    .refine((s) => !/\p{Surrogate}/u.test(s), `${what} contains an unpaired UTF-16 surrogate`);
}

// Checked when parsed, against every method registered by then (plug-ins too).
const methodName = z.custom<Method>(isMethod, {
  error: () => `expected one of ${methodNames().join(', ')}`,
});
const methodList = z
  .array(methodName, {
    error: () => `expected a method (${methodNames().join(', ')}) or a list of them`,
  })
  .min(1, 'expected at least one method')
  .refine((list) => new Set(list).size === list.length, 'a method is listed twice');

export const sweepSpecSchema = z.strictObject({
  name: storableString('the name', 10_000).min(1, 'the name must not be empty'),
  description: storableString('the description', 100_000).optional(),
  method: z.preprocess((v) => (typeof v === 'string' ? [v] : v), methodList),
  grid: z.strictObject(gridShape, { error: 'expected a mapping of axis names to values' }),
  fixed: z
    .strictObject(fixedShape, { error: 'expected a mapping of trainer parameters to values' })
    .prefault({}),
  resources: z
    .strictObject(
      {
        queue: z
          .enum(TRAIN_QUEUES, { error: `expected one of ${TRAIN_QUEUES.join(', ')}` })
          .default('train-cpu'),
        batch_size: z
          .number({ error: 'expected a whole number' })
          .int('expected a whole number')
          .min(1, 'expected at least 1')
          .max(MAX_BATCH_SIZE, `expected at most ${MAX_BATCH_SIZE}`)
          .default(DEFAULT_BATCH_SIZE),
        max_in_flight: z
          .number({ error: 'expected a whole number' })
          .int('expected a whole number')
          .min(1, 'expected at least 1')
          .max(MAX_IN_FLIGHT_LIMIT, `expected at most ${MAX_IN_FLIGHT_LIMIT}`)
          .default(DEFAULT_MAX_IN_FLIGHT),
        // Seconds without a heartbeat before a batch counts as lost and is retried elsewhere; unset, the
        // worker's setting applies.
        heartbeat_timeout: heartbeatTimeout.optional(),
        // GPUs per cell of a method: command sweep, on workers started with --gpus.
        gpus: z
          .number({ error: 'expected a whole number' })
          .int('expected a whole number')
          .min(1, 'expected at least 1')
          .optional(),
      },
      { error: 'expected a mapping with queue, batch_size, max_in_flight, heartbeat_timeout, gpus' },
    )
    .prefault({}),
  // method: command only (sweep/command-sweep.ts): how to run the user's program.
  command: commandSchema
    .extend({
      // Filled in when the sweep is registered (the hash of the program's code then): one written in the
      // spec is replaced.
      code_hash: z.string().optional(),
    })
    .optional(),
  refine: refineSchema.optional(),
  tags: z
    .preprocess(
      (tags, ctx) => {
        // zod's record silently drops a key named __proto__ (it cannot live in a plain object): such a
        // tag is refused rather than lost.
        if (tags !== null && typeof tags === 'object' && Object.hasOwn(tags, '__proto__')) {
          ctx.addIssue({
            code: 'custom',
            message: "the tag name '__proto__' is reserved",
            path: ['__proto__'],
            params: { atKey: true },
          });
        }
        return tags;
      },
      z.record(storableString('a tag name', 10_000), storableString('a tag value', 10_000), {
        error: 'expected a mapping of tag names to strings',
      }),
    )
    .prefault({}),
});

export type SweepSpec = z.output<typeof sweepSpecSchema>;
