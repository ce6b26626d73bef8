import { z } from 'zod';
import { TrainerInputError } from '../params.ts';
import { commandKeyParts } from './command/key-parts.ts';
import type { TrainerMethod } from './method.ts';

// The user's own program as a trainer (README, "Your own trainer"). Its cells hold the user's
// parameters by the names the spec gives them (any JSON scalars), the seed, and under `command` what
// identifies the program: argv, the listed env and the hash of its code, computed once per sweep when
// the spec is registered. The key hashes all of it; the params stored with a cell leave the program
// out (it is the sweep's, and each result records its code hash), so that one grid point of two
// versions of a program is one point to views and drift. Its cells are run by a worker's command runner (workers/command/), one
// process each or one persistent process per worker slot, never in the training threads.

const name = 'command';
// Part of every command cell's key, beside the protocol's version: bump it when phasesweep changes what
// a command cell's outcome depends on.
const VERSION = '1';

/** Names a command cell keeps for itself: a spec's grid or fixed may not use them. */
export const COMMAND_RESERVED_PARAMS = ['method', 'seed', name] as const;

const identitySchema = z.strictObject({
  argv: z.array(z.string().min(1)).min(1),
  env: z.record(z.string(), z.string()),
  code_hash: z.string().min(1, 'a command cell needs the code hash of its program'),
});
export type CommandIdentityParams = z.output<typeof identitySchema>;

const userValue = z.union([z.number().finite(), z.string(), z.boolean(), z.null()], {
  error: 'expected a finite number, a string, true/false or null',
});

const schema = z
  .object({
    method: z.literal(name),
    seed: z.number({ error: 'expected a whole number' }).int('expected a whole number').min(0).default(0),
    // Set in every cell a spec expands to; absent from the params stored with a cell (below).
    command: identitySchema.optional(),
  })
  .catchall(userValue);

export type CommandParams = z.output<typeof schema>;

/** A cell's params as stored: without the program's identity (see above). */
export function storedCommandParams(params: CommandParams): Omit<CommandParams, 'command'> {
  const { command: _command, ...stored } = params;
  return stored;
}

/** The user's own parameters of a cell: everything but the method, the seed and the program's identity. */
export function userParams(params: CommandParams): Record<string, unknown> {
  const { method: _method, seed: _seed, command: _command, ...user } = params;
  return user;
}

// Sorted, so that a cell's unit does not depend on the order in which the spec wrote its axes.
const unit = (params: CommandParams) =>
  JSON.stringify([params.seed, Object.entries(userParams(params)).sort(([a], [b]) => (a < b ? -1 : 1))]);

export const command = {
  name,
  schema,
  version: VERSION,
  trains: true,
  // Any names: the spec's command.metrics says which, and its results keep them by name.
  metrics: [],
  uses: () => true,
  normalize: (params) => params,
  keyOf: (params) => {
    const identity = params.command;
    if (identity === undefined)
      throw new Error('a command cell is keyed only with its program (argv, env, code hash)');
    return {
      params: userParams(params),
      seed: params.seed,
      ...commandKeyParts({ argv: identity.argv, env: identity.env, codeHash: identity.code_hash }),
      method: name,
      method_version: VERSION,
    };
  },
  shape: () => ({ method: name }),
  group: () => ({ method: name }),
  // Each cell is its own process: a batch may be cut between any two cells.
  unitKey: unit,
  batchKey: unit,
  work: () => 1,
  train: async () => {
    throw new TrainerInputError(
      'a command cell runs its program through a worker (phasesweep run / worker), not in-process',
    );
  },
} as const satisfies TrainerMethod<CommandParams>;
